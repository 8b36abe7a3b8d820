package org.kmsconnector.worker;

import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Function;
import org.kmsconnector.db.ClaimedRow;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.worker.auth.Refusal;
import org.kmsconnector.worker.job.IdJob;
import org.kmsconnector.worker.kms.PollOutcome;
import org.kmsconnector.worker.kms.SendOutcome;

/**
 * A request that is only an id, sent once and done on the KMS Core's acknowledgement, with no
 * result to poll: the aborts (the aborted operation's own poll then answers ABORTED) and the
 * destructions. Nothing is checked: these only ever take something away.
 */
final class AcknowledgedFlow implements OperationFlow<IdJob, Void> {
    private final OperationKind kind;
    private final Function<BigInteger, SendOutcome> call;

    AcknowledgedFlow(OperationKind kind, Function<BigInteger, SendOutcome> call) {
        this.kind = kind;
        this.call = call;
    }

    public OperationKind kind() {
        return kind;
    }

    public IdJob parse(ClaimedRow row) {
        return IdJob.fromRow(row);
    }

    public Optional<Refusal> check(IdJob job) {
        return Optional.empty();
    }

    public SendOutcome send(IdJob job) {
        return call.apply(job.id());
    }

    public boolean polls() {
        return false;
    }

    public PollOutcome<Void> poll(IdJob job) {
        throw new UnsupportedOperationException(kind.label() + " has no result to poll");
    }

    public Outcome toResponse(IdJob job, Void nothing) {
        return Outcome.completed();
    }
}
