package org.kmsconnector.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.kmsconnector.chain.ExtraData;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.kmsconnector.worker.auth.ContextCheck;
import org.kmsconnector.worker.auth.Refusal;
import org.kmsconnector.worker.ciphertext.CiphertextException;
import org.kmsconnector.worker.ciphertext.CiphertextResolver;
import org.kmsconnector.worker.ciphertext.ResolvedCiphertexts;
import org.kmsconnector.worker.kms.DecryptionRequests;
import org.kmsconnector.worker.kms.PollOutcome;
import org.kmsconnector.worker.kms.SendOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one attempt at a decryption, public or user, called in turn by the kind's route:
 * parse the claimed row, check it (re-run on every attempt), fetch the ciphertexts and send the
 * request unless the KMS Core already has it, poll the result. No step throws: every failure
 * ends the attempt with an outcome, which {@link DecryptionOutcomes} then writes.
 */
public final class DecryptionProcessor<J extends DecryptionJob, R> {
    private static final Logger LOG = LoggerFactory.getLogger(DecryptionProcessor.class);

    private final DecryptionFlow<J, R> flow;
    private final ContextCheck context;
    private final CiphertextResolver ciphertexts;
    private final ConnectorMetrics metrics;
    private final String eventType;

    public DecryptionProcessor(DecryptionFlow<J, R> flow, ContextCheck context, CiphertextResolver ciphertexts,
            ConnectorMetrics metrics) {
        this.flow = flow;
        this.context = context;
        this.ciphertexts = ciphertexts;
        this.metrics = metrics;
        this.eventType = flow.kind().eventType();
    }

    /** A claimed row becomes an attempt; a row too broken to read ends failed at once. */
    public DecryptionAttempt<J> parse(Map<String, Object> row) {
        metrics.increment(Metrics.WORKER_EVENTS, "event_type", eventType);
        try {
            return new DecryptionAttempt<>(flow.parse(row));
        } catch (Exception e) {
            DecryptionAttempt<J> broken = new DecryptionAttempt<>(flow.unreadable(row));
            LOG.error("Unreadable {} row {}: {}", flow.kind().requestTable(), broken.getJob().rowIdHex(),
                    e.getMessage());
            broken.end(Outcome.failed("unreadable row: " + e.getMessage()));
            return broken;
        }
    }

    /**
     * On every attempt, including those that only poll: the handles and extra_data must be
     * usable, then the KMS context the extra_data pins, then the kind's own authorisation.
     */
    public DecryptionAttempt<J> check(DecryptionAttempt<J> attempt) {
        if (!attempt.isOpen()) {
            return attempt;
        }
        J job = attempt.getJob();
        if (job.handles().isEmpty()) {
            attempt.end(Outcome.failed("the request has no ciphertext handle"));
            return attempt;
        }
        try {
            ExtraData.parse(job.extraData());
        } catch (IllegalArgumentException e) {
            attempt.end(Outcome.failed("bad extra_data: " + e.getMessage()));
            return attempt;
        }
        Optional<Refusal> refusal = guarded("kms_context", () -> context.check(job.extraData()));
        if (refusal.isEmpty()) {
            refusal = guarded("acl", () -> flow.authorize(job));
        }
        refusal.ifPresent(r -> refuse(attempt, r));
        return attempt;
    }

    /** Ciphertexts from the coprocessors' buckets, then the KMS Core's start call. */
    public DecryptionAttempt<J> send(DecryptionAttempt<J> attempt) {
        if (!attempt.isToSend()) {
            return attempt;
        }
        J job = attempt.getJob();
        ResolvedCiphertexts resolved;
        try {
            resolved = ciphertexts.resolve(job.handles());
        } catch (CiphertextException e) {
            refuse(attempt, new Refusal(e.getMessage(), e.recoverable(), e.checkType()));
            return attempt;
        }
        SendOutcome sent;
        try {
            sent = flow.send(job, toKms(resolved), resolved.keyId());
        } catch (IllegalArgumentException e) {
            attempt.end(Outcome.failed("cannot build the KMS request: " + e.getMessage()));
            return attempt;
        }
        attempt.countFailures(sent.failedAttempts());
        metrics.increment(Metrics.WORKER_GRPC_SENT, "event_type", eventType);
        if (sent.failedAttempts() > 0) {
            metrics.increment(Metrics.WORKER_GRPC_SENT_ERRORS, "event_type", eventType,
                    sent.failedAttempts());
        }
        switch (sent.kind()) {
            case OK -> attempt.markSent();
            case RECOVERABLE -> attempt.end(Outcome.retry(sent.message()));
            case IRRECOVERABLE -> attempt.end(Outcome.failed(sent.message()));
        }
        return attempt;
    }

    /** The result poll, and the response it becomes. */
    public DecryptionAttempt<J> poll(DecryptionAttempt<J> attempt) {
        if (!attempt.isOpen()) {
            return attempt;
        }
        PollOutcome<R> polled = flow.poll(attempt.getJob().decryptionId());
        attempt.countFailures(polled.failedAttempts());
        switch (polled.kind()) {
            case OK -> {
                metrics.increment(Metrics.WORKER_GRPC_POLLED, "event_type", eventType);
                attempt.end(flow.toResponse(polled.value()));
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

    /** Counted by check type; a recoverable refusal is one failed attempt, the other fails the request. */
    private void refuse(DecryptionAttempt<J> attempt, Refusal refusal) {
        metrics.increment(Metrics.WORKER_CHECK_ERRORS, "check_type", refusal.checkType());
        if (refusal.recoverable()) {
            attempt.retry(refusal.reason());
        } else {
            attempt.end(Outcome.failed(refusal.reason()));
        }
    }

    /** A check that throws instead of refusing is treated as a recoverable refusal: the next attempt re-runs it. */
    private Optional<Refusal> guarded(String checkType, Supplier<Optional<Refusal>> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            LOG.error("{} check of a {} failed unexpectedly", checkType, flow.kind().label(), e);
            return Optional.of(Refusal.recoverable(checkType, "the " + checkType + " check failed: " + e));
        }
    }

    private static List<DecryptionRequests.Ciphertext> toKms(ResolvedCiphertexts resolved) {
        List<DecryptionRequests.Ciphertext> out = new ArrayList<>();
        for (ResolvedCiphertexts.Item item : resolved.items()) {
            out.add(new DecryptionRequests.Ciphertext(item.handle().bytes(), item.ciphertext(), item.fheType(),
                    item.formatCode()));
        }
        return out;
    }
}
