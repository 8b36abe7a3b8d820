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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes how an attempt at a public decryption ended. Every status write is guarded by the
 * state it expects (under_process), so a late writer never turns a finished row back; the
 * response insert and the request's completion share one transaction.
 */
public final class PublicDecryptionOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(PublicDecryptionOutcomes.class);

    private static final String INSERT_RESPONSE = "INSERT INTO public_decryption_responses"
            + " (decryption_id, decrypted_result, signature, extra_data, created_at, otlp_context)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    // the insert's trigger already completes the request; this also records the attempt counters
    private static final String COMPLETE = "UPDATE public_decryption_requests SET status = 'completed',"
            + " already_sent = TRUE, error_counter = LEAST(error_counter + ?, 32767), last_error = NULL"
            + " WHERE decryption_id = ? AND status IN ('under_process', 'completed')";
    // a request failed meanwhile (expired by the recovery job) keeps its verdict: its answer is not sent
    private static final String LOCK_REQUEST = "SELECT status::text FROM public_decryption_requests"
            + " WHERE decryption_id = ? FOR UPDATE";
    private static final String RETRY_OR_FAIL = "UPDATE public_decryption_requests"
            + " SET error_counter = LEAST(error_counter + ?, 32767), already_sent = already_sent OR ?, last_error = ?,"
            + " status = CASE WHEN error_counter + ? >= ? THEN 'failed'::operation_status"
            + " ELSE 'pending'::operation_status END"
            + " WHERE decryption_id = ? AND status = 'under_process' RETURNING status";
    private static final String END = "UPDATE public_decryption_requests SET status = ?::operation_status,"
            + " already_sent = already_sent OR ?, error_counter = LEAST(error_counter + ?, 32767), last_error = ?"
            + " WHERE decryption_id = ? AND status = 'under_process'";

    private final DataSource dataSource;
    private final int maxAttempts;
    private final ConnectorMetrics metrics;

    public PublicDecryptionOutcomes(DataSource dataSource, int maxDecryptionAttempts, ConnectorMetrics metrics) {
        this.dataSource = dataSource;
        this.maxAttempts = maxDecryptionAttempts;
        this.metrics = metrics;
    }

    /**
     * A failure to write leaves the row under_process; the recovery job puts it back to
     * pending after operation_under_process_timeout, so the exception is only logged.
     */
    public void record(PublicDecryptionAttempt attempt) {
        PublicDecryptionJob job = attempt.getJob();
        Outcome outcome = attempt.outcome() != null ? attempt.outcome() : Outcome.retry("attempt ended without outcome");
        try {
            switch (outcome.kind()) {
                case DONE -> store(attempt, (PublicDecryptionResponse) outcome.response());
                case RETRY -> retryOrFail(attempt, outcome.reason());
                case FAILED -> end(attempt, "failed", outcome.reason());
                case ABORTED -> end(attempt, "aborted", outcome.reason());
            }
        } catch (SQLException e) {
            LOG.error("Public decryption {}: cannot record the outcome ({}): {}; the row stays under_process until "
                    + "the recovery job releases it", job.decryptionId(), outcome.kind(), e.getMessage());
        }
    }

    private void store(PublicDecryptionAttempt attempt, PublicDecryptionResponse response) throws SQLException {
        PublicDecryptionJob job = attempt.getJob();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement(LOCK_REQUEST);
                    PreparedStatement insert = c.prepareStatement(INSERT_RESPONSE);
                    PreparedStatement complete = c.prepareStatement(COMPLETE)) {
                lock.setBytes(1, job.rowId());
                try (ResultSet rs = lock.executeQuery()) {
                    String status = rs.next() ? rs.getString(1) : "gone";
                    if (!"under_process".equals(status) && !"pending".equals(status) && !"completed".equals(status)) {
                        c.rollback();
                        LOG.warn("Public decryption {}: the KMS Core answered but the request is {} meanwhile;"
                                + " the answer is not stored", job.decryptionId(), status);
                        return;
                    }
                }
                insert.setBytes(1, job.rowId());
                insert.setBytes(2, response.decryptedResult());
                insert.setBytes(3, response.signature());
                insert.setBytes(4, response.extraData());
                insert.setTimestamp(5, Timestamp.from(Instant.now()));
                insert.setBytes(6, job.otlpContext());
                insert.executeUpdate();
                complete.setInt(1, attempt.failedAttempts());
                complete.setBytes(2, job.rowId());
                complete.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        Duration latency = Duration.between(job.createdAt(), Instant.now());
        metrics.recordLatency("kms_connector_worker_decryption_latency_seconds", "event_type",
                PublicDecryptionProcessor.EVENT_TYPE, latency);
        LOG.info("Public decryption {} answered by the KMS Core; response stored", job.decryptionId());
    }

    private void retryOrFail(PublicDecryptionAttempt attempt, String reason) throws SQLException {
        PublicDecryptionJob job = attempt.getJob();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RETRY_OR_FAIL)) {
            ps.setInt(1, attempt.failedAttempts());
            ps.setBoolean(2, attempt.isSent());
            ps.setString(3, FailureReason.clean(reason));
            ps.setInt(4, attempt.failedAttempts());
            ps.setInt(5, maxAttempts);
            ps.setBytes(6, job.rowId());
            try (ResultSet rs = ps.executeQuery()) {
                String status = rs.next() ? rs.getString(1) : "no longer under process";
                if ("failed".equals(status)) {
                    metrics.increment("kms_connector_worker_request_failed", "event_type",
                            PublicDecryptionProcessor.EVENT_TYPE);
                    LOG.warn("Public decryption {} failed: max_decryption_attempts ({}) reached; last problem: {}",
                            job.decryptionId(), maxAttempts, reason);
                } else {
                    LOG.info("Public decryption {} will be retried ({}): {}", job.decryptionId(), status, reason);
                }
            }
        }
    }

    private void end(PublicDecryptionAttempt attempt, String status, String reason) throws SQLException {
        PublicDecryptionJob job = attempt.getJob();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(END)) {
            ps.setString(1, status);
            ps.setBoolean(2, attempt.isSent());
            ps.setInt(3, Math.max(1, attempt.failedAttempts()));
            ps.setString(4, FailureReason.clean(reason));
            ps.setBytes(5, job.rowId());
            ps.executeUpdate();
        }
        metrics.increment("kms_connector_worker_request_failed", "event_type", PublicDecryptionProcessor.EVENT_TYPE);
        LOG.warn("Public decryption {} {}: {}", job.decryptionId(), status, reason);
    }
}
