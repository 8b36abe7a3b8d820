package org.kmsconnector.worker;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.worker.auth.ContextCheck;
import org.kmsconnector.worker.auth.Refusal;
import org.kmsconnector.worker.ciphertext.CiphertextException;
import org.kmsconnector.worker.ciphertext.CiphertextResolver;
import org.kmsconnector.worker.ciphertext.ResolvedCiphertexts;
import org.kmsconnector.worker.job.DecryptionJob;
import org.kmsconnector.worker.kms.DecryptionRequests;
import org.kmsconnector.worker.kms.SendOutcome;

/**
 * What public and user decryption share: the checks on every attempt (handles, extra_data, the KMS
 * context it pins, then the kind's own authorisation) and the preparation of the send (the
 * ciphertexts from the coprocessors' buckets). Each kind says how it is authorised and which KMS
 * Core call pair it uses.
 */
public abstract class DecryptionFlow<J extends DecryptionJob, R> implements OperationFlow<J, R> {
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
        Optional<Refusal> refusal = GuardedCheck.pinnedContext(context, kind(), job, job.extraData());
        return refusal.isPresent() ? refusal : GuardedCheck.run(kind(), job, "acl", () -> authorize(job));
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
}
