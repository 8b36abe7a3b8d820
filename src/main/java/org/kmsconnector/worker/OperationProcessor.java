package org.kmsconnector.worker;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.kmsconnector.db.ClaimedRow;
import org.kmsconnector.db.RequestWrites;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.kmsconnector.worker.auth.Refusal;
import org.kmsconnector.worker.job.OperationJob;
import org.kmsconnector.worker.kms.PollOutcome;
import org.kmsconnector.worker.kms.SendOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one attempt at a claimed request of one kind, called in turn by the kind's process
 * route (routes/kms-worker/operation.camel.yaml): parse the row, check it (on every attempt),
 * prepare and send it unless the KMS Core already has it, poll the result. No step throws: every
 * failure ends the attempt with an outcome, which {@link OperationOutcomes} then writes.
 */
public final class OperationProcessor<J extends OperationJob, R> {
    private static final Logger LOG = LoggerFactory.getLogger(OperationProcessor.class);

    private final OperationFlow<J, R> flow;
    private final RequestWrites writes;
    private final ConnectorMetrics metrics;
    private final String eventType;

    /** @param writes the kind's request writes: a request the KMS Core accepted is marked sent at once */
    public OperationProcessor(OperationFlow<J, R> flow, RequestWrites writes, ConnectorMetrics metrics) {
        this.flow = flow;
        this.writes = writes;
        this.metrics = metrics;
        this.eventType = flow.kind().eventType();
    }

    public OperationFlow<J, R> flow() {
        return flow;
    }

    /** A claimed row becomes an attempt; a row too broken to read ends failed at once. */
    public OperationAttempt<J> parse(Map<String, Object> values) {
        metrics.increment(Metrics.WORKER_EVENTS, "event_type", eventType);
        ClaimedRow row = new ClaimedRow(flow.kind().requests(), values);
        try {
            return new OperationAttempt<>(row, flow.parse(row));
        } catch (RuntimeException e) {
            OperationAttempt<J> broken = new OperationAttempt<>(row, null);
            LOG.error("Unreadable {} row {}: {}", flow.kind().requests().name(), row.describeKey(), e.getMessage());
            broken.end(Outcome.failed("unreadable row: " + e.getMessage()));
            return broken;
        }
    }

    /** The kind's checks, on every attempt; a check that throws is a recoverable refusal. */
    public OperationAttempt<J> check(OperationAttempt<J> attempt) {
        if (!attempt.isOpen()) {
            return attempt;
        }
        Optional<Refusal> refusal;
        try {
            refusal = flow.check(attempt.getJob());
        } catch (RuntimeException e) {
            LOG.error("The check of {} {} failed unexpectedly", flow.kind().label(), attempt.getJob().idHex(), e);
            refusal = Optional.of(Refusal.recoverable("network", "the check failed: " + e));
        }
        refusal.ifPresent(r -> refuse(attempt, r));
        return attempt;
    }

    /** The preparation (ciphertexts, chain reads) and the KMS Core's start call. */
    public OperationAttempt<J> send(OperationAttempt<J> attempt) {
        if (!attempt.isToSend()) {
            return attempt;
        }
        SendOutcome sent;
        try {
            sent = flow.send(attempt.getJob());
        } catch (OperationFlow.Refused e) {
            refuse(attempt, e.refusal());
            return attempt;
        } catch (IllegalArgumentException e) {
            attempt.end(Outcome.failed("cannot build the KMS request: " + e.getMessage()));
            return attempt;
        }
        attempt.countFailures(sent.failedAttempts());
        metrics.increment(Metrics.WORKER_GRPC_SENT, "event_type", eventType);
        if (sent.failedAttempts() > 0) {
            metrics.increment(Metrics.WORKER_GRPC_SENT_ERRORS, "event_type", eventType, sent.failedAttempts());
        }
        switch (sent.kind()) {
            case OK -> markSent(attempt);
            case RECOVERABLE -> attempt.end(Outcome.retry(sent.message()));
            case IRRECOVERABLE -> attempt.end(Outcome.failed(sent.message()));
        }
        return attempt;
    }

    /** The result poll, and the response it becomes. */
    public OperationAttempt<J> poll(OperationAttempt<J> attempt) {
        if (!attempt.isOpen()) {
            return attempt;
        }
        if (!flow.polls()) {
            attempt.end(flow.toResponse(attempt.getJob(), null));
            return attempt;
        }
        PollOutcome<R> polled = flow.poll(attempt.getJob());
        attempt.countFailures(polled.failedAttempts());
        switch (polled.kind()) {
            case OK -> {
                metrics.increment(Metrics.WORKER_GRPC_POLLED, "event_type", eventType);
                attempt.end(flow.toResponse(attempt.getJob(), polled.value()));
            }
            case RECOVERABLE -> {
                metrics.increment(Metrics.WORKER_GRPC_POLLED_ERRORS, "event_type", eventType);
                attempt.end(Outcome.retry(polled.message()));
            }
            case ABORTED -> attempt.end(Outcome.aborted(polled.message()));
            case IRRECOVERABLE -> {
                metrics.increment(Metrics.WORKER_GRPC_POLLED_ERRORS, "event_type", eventType);
                attempt.end(Outcome.failed(polled.message()));
            }
        }
        return attempt;
    }

    /**
     * Written down before the poll: a key generation runs for minutes, and a worker that dies
     * meanwhile must leave a row that the next attempt only polls, without starting it again.
     * Should the write fail, the next attempt starts it again, which the KMS Core acknowledges as
     * already known.
     */
    private void markSent(OperationAttempt<J> attempt) {
        attempt.markSent();
        try {
            writes.markSent(attempt.getJob().key());
        } catch (SQLException | RuntimeException e) {
            LOG.warn("{} {}: the KMS Core has it, but already_sent could not be written: {}", flow.kind().label(),
                    attempt.getJob().idHex(), e.getMessage());
        }
    }

    /** Counted by check type; a recoverable refusal is one failed attempt, the other fails the request. */
    private void refuse(OperationAttempt<J> attempt, Refusal refusal) {
        metrics.increment(Metrics.WORKER_CHECK_ERRORS, "check_type", refusal.checkType());
        if (refusal.recoverable()) {
            attempt.retry(refusal.reason());
        } else {
            attempt.end(Outcome.failed(refusal.reason()));
        }
    }
}
