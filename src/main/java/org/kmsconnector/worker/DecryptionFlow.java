package org.kmsconnector.worker;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.kmsconnector.chain.ExtraData;
import org.kmsconnector.worker.auth.ContextCheck;
import org.kmsconnector.worker.auth.Refusal;
import org.kmsconnector.worker.ciphertext.CiphertextException;
import org.kmsconnector.worker.ciphertext.CiphertextResolver;
import org.kmsconnector.worker.ciphertext.ResolvedCiphertexts;
import org.kmsconnector.worker.job.DecryptionJob;
import org.kmsconnector.worker.kms.DecryptionRequests;
import org.kmsconnector.worker.kms.SendOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What public and user decryption share: the checks on every attempt (handles, extra_data, the KMS
 * context it pins, then the kind's own authorisation) and the preparation of the send (the
 * ciphertexts from the coprocessors' buckets). Each kind says how it is authorised and which KMS
 * Core call pair it uses.
 */
public abstract class DecryptionFlow<J extends DecryptionJob, R> implements OperationFlow<J, R> {
    private static final Logger LOG = LoggerFactory.getLogger(DecryptionFlow.class);

    private final ContextCheck context;
    private final CiphertextResolver ciphertexts;

    protected DecryptionFlow(ContextCheck context, CiphertextResolver ciphertexts) {
        this.context = context;
        this.ciphertexts = ciphertexts;
    }

    /** The kind's own authorisation, run on every attempt after the context check. */
    protected abstract Optional<Refusal> authorize(J job);

    /** Builds the request from the fetched ciphertexts and sends it; IllegalArgumentException when it cannot be built. */
    protected abstract SendOutcome start(J job, List<DecryptionRequests.Ciphertext> ciphertexts, BigInteger keyId);

    @Override
    public final Optional<Refusal> check(J job) {
        if (job.handles().isEmpty()) {
            return Optional.of(Refusal.irrecoverable("acl", "the request has no ciphertext handle"));
        }
        try {
            ExtraData.parse(job.extraData());
        } catch (IllegalArgumentException e) {
            return Optional.of(Refusal.irrecoverable("kms_context", "bad extra_data: " + e.getMessage()));
        }
        Optional<Refusal> refusal = guarded(job, "kms_context", () -> context.check(job.extraData()));
        return refusal.isPresent() ? refusal : guarded(job, "acl", () -> authorize(job));
    }

    @Override
    public final SendOutcome send(J job) throws Refused {
        ResolvedCiphertexts resolved;
        try {
            resolved = ciphertexts.resolve(job.handles());
        } catch (CiphertextException e) {
            throw new Refused(new Refusal(e.getMessage(), e.recoverable(), e.checkType()));
        }
        List<DecryptionRequests.Ciphertext> forKms = new ArrayList<>();
        for (ResolvedCiphertexts.Item item : resolved.items()) {
            forKms.add(new DecryptionRequests.Ciphertext(item.handle().bytes(), item.ciphertext(), item.fheType(),
                    item.formatCode()));
        }
        return start(job, forKms, resolved.keyId());
    }

    /** A check that throws instead of refusing is a recoverable refusal: the next attempt re-runs it. */
    private Optional<Refusal> guarded(J job, String checkType, Supplier<Optional<Refusal>> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            LOG.error("{} check of {} {} failed unexpectedly", checkType, kind().label(), job.idHex(), e);
            return Optional.of(Refusal.recoverable(checkType, "the " + checkType + " check failed: " + e));
        }
    }
}
