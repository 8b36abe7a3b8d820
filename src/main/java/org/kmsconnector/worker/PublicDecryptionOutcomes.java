package org.kmsconnector.worker;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes how an attempt at a public decryption ended. Every status write is guarded by the
 * state it expects (under_process), so a late writer never turns a finished row back.
 */
public final class PublicDecryptionOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(PublicDecryptionOutcomes.class);
    private static final String EVENT_TYPE = "public_decryption_request";

    private static final String INSERT_RESPONSE = "INSERT INTO public_decryption_responses"
            + " (decryption_id, decrypted_result, signature, extra_data, created_at, otlp_context)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    // the response insert's trigger completes the request; this also records already_sent
    private static final String COMPLETE = "UPDATE public_decryption_requests SET status = 'completed',"
            + " already_sent = true, error_counter = error_counter + ?, last_error = NULL"
            + " WHERE decryption_id = ? AND status IN ('under_process', 'completed')";
    private static final String RETRY_OR_FAIL = "UPDATE public_decryption_requests"
            + " SET error_counter = LEAST(error_counter + ?, 32767), already_sent = already_sent OR ?,"
            + " last_error = ?,"
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

    public void record(PublicDecryptionAttempt attempt) throws SQLException {
        PublicDecryptionJob job = attempt.job();
        Outcome outcome = attempt.outcome();
        switch (outcome.kind()) {
            case DONE -> store(job, (PublicDecryptionResponse) outcome.response(), outcome.failedAttempts());
            case RETRY -> retryOrFail(job, attempt.sent(), outcome);
            case FAILED -> end(job, "failed", attempt.sent(), outcome);
            case ABORTED -> end(job, "aborted", attempt.sent(), outcome);
        }
    }

    private void store(PublicDecryptionJob job, PublicDecryptionResponse response, int failedAttempts)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(INSERT_RESPONSE);
                    PreparedStatement complete = c.prepareStatement(COMPLETE)) {
                insert.setBytes(1, job.rowId());
                insert.setBytes(2, response.decryptedResult());
                insert.setBytes(3, response.signature());
                insert.setBytes(4, response.extraData());
                insert.setTimestamp(5, Timestamp.from(Instant.now()));
                insert.setBytes(6, job.otlpContext());
                insert.executeUpdate();
                complete.setInt(1, failedAttempts);
                complete.setBytes(2, job.rowId());
                complete.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        LOG.info("Public decryption {} answered by the KMS Core; response stored", job.decryptionId());
    }

    private void retryOrFail(PublicDecryptionJob job, boolean sent, Outcome outcome) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RETRY_OR_FAIL)) {
            ps.setInt(1, outcome.failedAttempts());
            ps.setBoolean(2, sent);
            ps.setString(3, outcome.reason());
            ps.setInt(4, outcome.failedAttempts());
            ps.setInt(5, maxAttempts);
            ps.setBytes(6, job.rowId());
            try (ResultSet rs = ps.executeQuery()) {
                String status = rs.next() ? rs.getString(1) : "unchanged";
                if ("failed".equals(status)) {
                    metrics.increment("kms_connector_worker_request_failed", "event_type", EVENT_TYPE);
                    LOG.warn("Public decryption {} failed after reaching max_decryption_attempts ({}): {}",
                            job.decryptionId(), maxAttempts, outcome.reason());
                } else {
                    LOG.info("Public decryption {} will be retried: {}", job.decryptionId(), outcome.reason());
                }
            }
        }
    }

    private void end(PublicDecryptionJob job, String status, boolean sent, Outcome outcome) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(END)) {
            ps.setString(1, status);
            ps.setBoolean(2, sent);
            ps.setInt(3, outcome.failedAttempts());
            ps.setString(4, outcome.reason());
            ps.setBytes(5, job.rowId());
            ps.executeUpdate();
        }
        metrics.increment("kms_connector_worker_request_failed", "event_type", EVENT_TYPE);
        LOG.warn("Public decryption {} {}: {}", job.decryptionId(), status, outcome.reason());
    }
}
