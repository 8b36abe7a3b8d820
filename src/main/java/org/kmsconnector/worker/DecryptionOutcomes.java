package org.kmsconnector.worker;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.kmsconnector.db.FailureReason;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes how an attempt at a decryption of one kind ended. Every status write is guarded by the
 * state it expects (under_process), so a late writer never turns a finished row back; the
 * response insert and the request's completion share one transaction.
 */
public final class DecryptionOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(DecryptionOutcomes.class);

    private final DataSource dataSource;
    private final DecryptionKind kind;
    private final int maxAttempts;
    private final ConnectorMetrics metrics;
    private final String lockRequest;
    private final String insertResponse;
    private final String complete;
    private final String retryOrFail;
    private final String end;

    public DecryptionOutcomes(DataSource dataSource, DecryptionKind kind, int maxDecryptionAttempts,
            ConnectorMetrics metrics) {
        this.dataSource = dataSource;
        this.kind = kind;
        this.maxAttempts = maxDecryptionAttempts;
        this.metrics = metrics;
        this.lockRequest = WorkerSql.lockRequest(kind);
        this.insertResponse = WorkerSql.insertResponse(kind);
        this.complete = WorkerSql.complete(kind);
        this.retryOrFail = WorkerSql.retryOrFail(kind);
        this.end = WorkerSql.end(kind);
    }

    /**
     * A failure to write leaves the row under_process; the recovery job puts it back to
     * pending after operation_under_process_timeout, so the exception is only logged.
     */
    public void record(DecryptionAttempt<?> attempt) {
        DecryptionJob job = attempt.getJob();
        Outcome outcome = attempt.outcome() != null ? attempt.outcome() : Outcome.retry("attempt ended without outcome");
        metrics.count(Metrics.WORKER_ATTEMPTS, "event_type", kind.eventType(), "outcome",
                outcome.kind().name().toLowerCase(java.util.Locale.ROOT));
        try {
            switch (outcome.kind()) {
                case DONE -> store(attempt, (DecryptionResponse) outcome.response());
                case RETRY -> retryOrFail(attempt, outcome.reason());
                case FAILED -> end(attempt, "failed", outcome.reason());
                case ABORTED -> end(attempt, "aborted", outcome.reason());
            }
        } catch (SQLException e) {
            LOG.error("{} {}: cannot record the outcome ({}): {}; the row stays under_process until the recovery"
                    + " job releases it", kind.label(), job.decryptionId(), outcome.kind(), e.getMessage());
        }
    }

    private void store(DecryptionAttempt<?> attempt, DecryptionResponse response) throws SQLException {
        DecryptionJob job = attempt.getJob();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement(lockRequest);
                    PreparedStatement insert = c.prepareStatement(insertResponse);
                    PreparedStatement completeRequest = c.prepareStatement(complete)) {
                lock.setBytes(1, job.rowId());
                try (ResultSet rs = lock.executeQuery()) {
                    String status = rs.next() ? rs.getString(1) : "gone";
                    if (!"under_process".equals(status) && !"pending".equals(status) && !"completed".equals(status)) {
                        c.rollback();
                        LOG.warn("{} {}: the KMS Core answered but the request is {} meanwhile; the answer is not"
                                + " stored", kind.label(), job.decryptionId(), status);
                        return;
                    }
                }
                insert.setBytes(1, job.rowId());
                insert.setBytes(2, response.payload());
                insert.setBytes(3, response.signature());
                insert.setBytes(4, response.extraData());
                insert.setTimestamp(5, Timestamp.from(Instant.now()));
                insert.setBytes(6, job.otlpContext());
                insert.executeUpdate();
                completeRequest.setInt(1, attempt.failedAttempts());
                completeRequest.setBytes(2, job.rowId());
                completeRequest.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        Duration latency = Duration.between(job.createdAt(), Instant.now());
        metrics.recordLatency(Metrics.WORKER_LATENCY, "event_type", kind.eventType(),
                latency);
        LOG.info("{} {} answered by the KMS Core; response stored", kind.label(), job.decryptionId());
    }

    private void retryOrFail(DecryptionAttempt<?> attempt, String reason) throws SQLException {
        DecryptionJob job = attempt.getJob();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(retryOrFail)) {
            ps.setInt(1, attempt.failedAttempts());
            ps.setBoolean(2, attempt.isSent());
            ps.setString(3, FailureReason.clean(reason));
            ps.setInt(4, attempt.failedAttempts());
            ps.setInt(5, maxAttempts);
            ps.setBytes(6, job.rowId());
            try (ResultSet rs = ps.executeQuery()) {
                String status = rs.next() ? rs.getString(1) : "no longer under process";
                if ("failed".equals(status)) {
                    metrics.increment(Metrics.WORKER_FAILED, "event_type", kind.eventType());
                    LOG.warn("{} {} failed: max_decryption_attempts ({}) reached; last problem: {}", kind.label(),
                            job.decryptionId(), maxAttempts, reason);
                } else {
                    LOG.info("{} {} will be retried ({}): {}", kind.label(), job.decryptionId(), status, reason);
                }
            }
        }
    }

    private void end(DecryptionAttempt<?> attempt, String status, String reason) throws SQLException {
        DecryptionJob job = attempt.getJob();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(end)) {
            ps.setString(1, status);
            ps.setBoolean(2, attempt.isSent());
            ps.setInt(3, Math.max(1, attempt.failedAttempts()));
            ps.setString(4, FailureReason.clean(reason));
            ps.setBytes(5, job.rowId());
            ps.executeUpdate();
        }
        metrics.increment(Metrics.WORKER_FAILED, "event_type", kind.eventType());
        LOG.warn("{} {} {}: {}", kind.label(), job.decryptionId(), status, reason);
    }
}
