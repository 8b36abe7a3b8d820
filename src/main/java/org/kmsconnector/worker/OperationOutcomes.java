package org.kmsconnector.worker;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.db.RequestWrites;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes how an attempt at a request of one kind ended, through the catalogue's guarded writes: the
 * response and the request's completion in one transaction, back to pending (or failed at
 * max_decryption_attempts for the kinds that count attempts), failed, aborted.
 */
public final class OperationOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(OperationOutcomes.class);

    private final RequestWrites writes;
    private final OperationKind kind;
    private final int maxAttempts;
    private final ConnectorMetrics metrics;

    public OperationOutcomes(RequestWrites writes, int maxDecryptionAttempts, ConnectorMetrics metrics) {
        this.writes = writes;
        this.kind = writes.kind();
        this.maxAttempts = maxDecryptionAttempts;
        this.metrics = metrics;
    }

    /**
     * A failure to write leaves the row under_process; the recovery job puts it back to pending
     * after operation_under_process_timeout, so the exception is only logged.
     */
    public void record(OperationAttempt<?> attempt) {
        Outcome outcome = attempt.outcome() != null ? attempt.outcome() : Outcome.retry("attempt ended without outcome");
        metrics.count(Metrics.WORKER_ATTEMPTS, "event_type", kind.eventType(), "outcome",
                outcome.kind().name().toLowerCase(Locale.ROOT));
        byte[] key = attempt.getJob() != null ? attempt.getJob().key() : attempt.getRow().keyOrNull();
        String id = attempt.getRow().describeKey();
        if (key == null) {
            LOG.error("{} row {} cannot be marked ({}): {}", kind.label(), id, outcome.kind(), outcome.reason());
            return;
        }
        try {
            switch (outcome.kind()) {
                case DONE -> done(attempt, key, id, outcome);
                case RETRY -> retry(attempt, key, id, outcome.reason());
                case FAILED -> end(attempt, key, id, "failed", outcome.reason());
                case ABORTED -> end(attempt, key, id, "aborted", outcome.reason());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.error("{} {}: cannot record the outcome ({}): {}; the row stays under_process until the recovery"
                    + " job releases it", kind.label(), id, outcome.kind(), e.getMessage());
        }
    }

    private void done(OperationAttempt<?> attempt, byte[] key, String id, Outcome outcome) throws SQLException {
        if (kind.responses().isEmpty()) {
            writes.complete(key, attempt.failedAttempts());
            LOG.info("{} {} acknowledged by the KMS Core; request completed", kind.label(), id);
            return;
        }
        Optional<String> keptOut = writes.storeResponse(key, attempt.failedAttempts(), outcome.response(),
                attempt.getJob().otlpContext());
        if (keptOut.isPresent()) {
            LOG.warn("{} {}: the KMS Core answered but the request is {} meanwhile; the answer is not stored",
                    kind.label(), id, keptOut.get());
            return;
        }
        Duration latency = Duration.between(attempt.getJob().createdAt(), Instant.now());
        metrics.recordLatency(Metrics.WORKER_LATENCY, "event_type", kind.eventType(), latency);
        LOG.info("{} {} answered by the KMS Core; response stored", kind.label(), id);
    }

    private void retry(OperationAttempt<?> attempt, byte[] key, String id, String reason) throws SQLException {
        Optional<String> status = writes.retry(key, attempt.failedAttempts(), attempt.isSent(), reason, maxAttempts);
        if (status.isEmpty()) {
            LOG.info("{} {} no longer under process; its retry ({}) is not written", kind.label(), id, reason);
        } else if ("failed".equals(status.get())) {
            metrics.increment(Metrics.WORKER_FAILED, "event_type", kind.eventType());
            LOG.warn("{} {} failed: max_decryption_attempts ({}) reached; last problem: {}", kind.label(), id,
                    maxAttempts, reason);
        } else {
            LOG.info("{} {} will be retried: {}", kind.label(), id, reason);
        }
    }

    private void end(OperationAttempt<?> attempt, byte[] key, String id, String status, String reason)
            throws SQLException {
        writes.end(key, status, attempt.isSent(), Math.max(1, attempt.failedAttempts()), reason);
        metrics.increment(Metrics.WORKER_FAILED, "event_type", kind.eventType());
        LOG.warn("{} {} {}: {}", kind.label(), id, status, reason);
    }
}
