package org.kmsconnector.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The kms-worker's status writes on the requests of one kind (and the insert of their responses),
 * each guarded as {@link OperationSql} says. Each method says whether the row changed.
 */
public final class RequestWrites {
    private final DataSource dataSource;
    private final OperationKind kind;
    private final String lock;
    private final String insertResponse;
    private final String complete;
    private final String markSent;
    private final String retry;
    private final String end;

    public RequestWrites(DataSource dataSource, OperationKind kind) {
        this.dataSource = dataSource;
        this.kind = kind;
        this.lock = OperationSql.lockRequest(kind.requests());
        this.insertResponse = kind.responses().map(r -> OperationSql.insertResponse(r.table())).orElse(null);
        this.complete = OperationSql.completeRequest(kind);
        this.markSent = OperationSql.markSent(kind.requests());
        this.retry = OperationSql.retryRequest(kind);
        this.end = OperationSql.endRequest(kind);
    }

    public OperationKind kind() {
        return kind;
    }

    /**
     * Inserts the response (its columns in catalogue order) and completes the request, in one
     * transaction with the request locked. A request that was failed or aborted meanwhile (expired,
     * say) keeps its verdict: then nothing is written and its status is returned.
     *
     * @return empty when stored, else the status that kept the answer out
     */
    public Optional<String> storeResponse(byte[] key, int failedAttempts, List<Object> columns, byte[] otlpContext)
            throws SQLException {
        if (insertResponse == null) {
            throw new IllegalStateException(kind.label() + " has no response table");
        }
        OperationTable responses = kind.responseTable();
        if (columns.size() != responses.columns().size()) {
            throw new IllegalArgumentException(responses.name() + " takes " + responses.columns().size()
                    + " columns, not " + columns.size());
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lockRow = c.prepareStatement(lock);
                    PreparedStatement insert = c.prepareStatement(insertResponse);
                    PreparedStatement completeRow = c.prepareStatement(complete)) {
                lockRow.setBytes(1, key);
                try (ResultSet rs = lockRow.executeQuery()) {
                    String status = rs.next() ? rs.getString(1) : "gone";
                    if (!List.of("under_process", "pending", "completed").contains(status)) {
                        c.rollback();
                        return Optional.of(status);
                    }
                }
                int i = 1;
                insert.setBytes(i++, key);
                for (int col = 0; col < columns.size(); col++) {
                    i = ColumnValues.bind(c, insert, i, responses.columns().get(col), columns.get(col));
                }
                insert.setTimestamp(i++, Timestamp.from(Instant.now()));
                insert.setBytes(i, otlpContext);
                insert.executeUpdate();
                bindComplete(completeRow, key, failedAttempts);
                completeRow.executeUpdate();
                c.commit();
                return Optional.empty();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Completed without a response row: the kinds done on the KMS Core's acknowledgement. */
    public boolean complete(byte[] key, int failedAttempts) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(complete)) {
            bindComplete(ps, key, failedAttempts);
            return ps.executeUpdate() > 0;
        }
    }

    /** The KMS Core has the request: a later attempt only polls. */
    public boolean markSent(byte[] key) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(markSent)) {
            ps.setBytes(1, key);
            return ps.executeUpdate() > 0;
        }
    }

    /**
     * Back to pending with the reason, or failed when the kind counts attempts and this attempt
     * reaches {@code maxAttempts}.
     *
     * @return the new status, or empty when the row was no longer under_process
     */
    public Optional<String> retry(byte[] key, int failedAttempts, boolean sent, String reason, int maxAttempts)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(retry)) {
            int i = 1;
            if (kind.countsAttempts()) {
                ps.setInt(i++, failedAttempts);
            }
            ps.setBoolean(i++, sent);
            ps.setString(i++, FailureReason.clean(reason));
            if (kind.countsAttempts()) {
                ps.setInt(i++, failedAttempts);
                ps.setInt(i++, maxAttempts);
            }
            ps.setBytes(i, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Failed or aborted for good (status {@code failed} or {@code aborted}). */
    public boolean end(byte[] key, String status, boolean sent, int failedAttempts, String reason)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(end)) {
            int i = 1;
            ps.setString(i++, status);
            ps.setBoolean(i++, sent);
            if (kind.countsAttempts()) {
                ps.setInt(i++, failedAttempts);
            }
            ps.setString(i++, FailureReason.clean(reason));
            ps.setBytes(i, key);
            return ps.executeUpdate() > 0;
        }
    }

    private void bindComplete(PreparedStatement ps, byte[] key, int failedAttempts) throws SQLException {
        int i = 1;
        if (kind.countsAttempts()) {
            ps.setInt(i++, failedAttempts);
        }
        ps.setBytes(i, key);
    }
}
