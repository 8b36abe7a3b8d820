package org.kmsconnector.worker;

import java.util.Optional;
import org.kmsconnector.db.ClaimedRow;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.worker.auth.Refusal;
import org.kmsconnector.worker.job.OperationJob;
import org.kmsconnector.worker.kms.PollOutcome;
import org.kmsconnector.worker.kms.SendOutcome;

/**
 * What one kind of operation does inside the kms-worker's shared steps ({@link OperationProcessor}):
 * read its claimed row, check it, hand it to the KMS Core, fetch the result and turn that into its
 * response. A new kind of operation is one implementation of this (and its catalogue entry).
 *
 * @param <J> the claimed row, parsed
 * @param <R> the KMS Core's result
 */
public interface OperationFlow<J extends OperationJob, R> {
    OperationKind kind();

    /** @throws IllegalArgumentException naming the column when the row cannot be read */
    J parse(ClaimedRow row);

    /** Run on every attempt, also when the KMS Core already has the request; empty when it may go on. */
    Optional<Refusal> check(J job);

    /**
     * Prepares what the KMS Core needs and sends it.
     *
     * @throws Refused when the preparation refuses the request (ciphertexts, an anchor, …)
     * @throws IllegalArgumentException when the request cannot be built: the request fails
     */
    SendOutcome send(J job) throws Refused;

    /** Whether the kind has a result to poll; the others are done on the start call's acknowledgement. */
    default boolean polls() {
        return true;
    }

    /** The result of an operation the KMS Core has (only called when {@link #polls()}). */
    PollOutcome<R> poll(J job);

    /**
     * The result as the response columns to store ({@link Outcome#done}), or a failure when it
     * cannot be one; for a kind that does not poll, called with null once the KMS Core has the request.
     */
    Outcome toResponse(J job, R result);

    /** A preparation step refused the request; carries why and whether a later attempt may succeed. */
    final class Refused extends Exception {
        private final Refusal refusal;

        public Refused(Refusal refusal) {
            super(refusal.reason(), null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }
}
