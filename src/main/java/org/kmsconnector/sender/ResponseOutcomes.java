package org.kmsconnector.sender;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.kmsconnector.db.FailureReason;

/**
 * Status writes for one response table, keyed by the row's primary-key bytes. Each write only
 * applies to a row still {@code under_process}: a send that finishes after the recovery job or
 * another writer moved the row on changes nothing. Each method says whether the row changed.
 */
public final class ResponseOutcomes {
    static final int MAX_ERROR_LENGTH = FailureReason.MAX_LENGTH;

    private final DataSource dataSource;
    private final String table;
    private final String complete;
    private final String backToPending;
    private final String fail;

    public ResponseOutcomes(DataSource dataSource, String table, String pkColumn) {
        this.dataSource = dataSource;
        this.table = table;
        this.complete = TxSenderSql.complete(table, pkColumn);
        this.backToPending = TxSenderSql.backToPending(table, pkColumn);
        this.fail = TxSenderSql.fail(table, pkColumn);
    }

    public String table() {
        return table;
    }

    public boolean completed(byte[] pk) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(complete)) {
            ps.setBytes(1, pk);
            return ps.executeUpdate() > 0;
        }
    }

    public boolean backToPending(byte[] pk, String error) throws SQLException {
        return updateWithError(backToPending, error, pk);
    }

    public boolean failed(byte[] pk, String error) throws SQLException {
        return updateWithError(fail, error, pk);
    }

    private boolean updateWithError(String sql, String error, byte[] pk) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, truncate(error));
            ps.setBytes(2, pk);
            return ps.executeUpdate() > 0;
        }
    }

    static String truncate(String error) {
        return FailureReason.clean(error == null ? "unknown error" : error);
    }
}
