package org.kmsconnector.worker;

import java.util.Optional;
import java.util.function.Supplier;
import org.kmsconnector.chain.ExtraData;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.worker.auth.ContextCheck;
import org.kmsconnector.worker.auth.Refusal;
import org.kmsconnector.worker.job.OperationJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The checks the flows run on every attempt, each one guarded: a check that throws refuses, recoverably. */
final class GuardedCheck {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedCheck.class);

    private GuardedCheck() {}

    /** The KMS context (and epoch) the extraData pins; extraData that does not parse fails the request. */
    static Optional<Refusal> pinnedContext(ContextCheck context, OperationKind kind, OperationJob job,
            byte[] extraData) {
        try {
            ExtraData.parse(extraData);
        } catch (IllegalArgumentException e) {
            return Optional.of(Refusal.irrecoverable("kms_context", "bad extra_data: " + e.getMessage()));
        }
        return run(kind, job, "kms_context", () -> context.check(extraData));
    }

    /** A check that throws instead of refusing is a recoverable refusal: the next attempt re-runs it. */
    static Optional<Refusal> run(OperationKind kind, OperationJob job, String checkType,
            Supplier<Optional<Refusal>> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            LOG.error("{} check of {} {} failed unexpectedly", checkType, kind.label(), job.idHex(), e);
            return Optional.of(Refusal.recoverable(checkType, "the " + checkType + " check failed: " + e));
        }
    }
}
