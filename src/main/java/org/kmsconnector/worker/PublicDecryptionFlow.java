package org.kmsconnector.worker;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.db.ClaimedRow;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.db.Operations;
import org.kmsconnector.kms.v1.PublicDecryptionResponse;
import org.kmsconnector.worker.auth.ContextCheck;
import org.kmsconnector.worker.auth.PublicDecryptionAcl;
import org.kmsconnector.worker.auth.Refusal;
import org.kmsconnector.worker.ciphertext.CiphertextResolver;
import org.kmsconnector.worker.job.PublicDecryptionJob;
import org.kmsconnector.worker.kms.DecryptionRequests;
import org.kmsconnector.worker.kms.DecryptionResults;
import org.kmsconnector.worker.kms.KmsCoreClient;
import org.kmsconnector.worker.kms.PollOutcome;
import org.kmsconnector.worker.kms.SendOutcome;

/** Public decryption: host ACL isAllowedForDecryption, PublicDecrypt, and the plaintexts as ABI words. */
public final class PublicDecryptionFlow extends DecryptionFlow<PublicDecryptionJob, PublicDecryptionResponse> {
    private final PublicDecryptionAcl acl;
    private final KmsCoreClient kmsCore;
    private final DecryptionRequests.Domain domain;

    public PublicDecryptionFlow(PublicDecryptionAcl acl, ContextCheck context, CiphertextResolver ciphertexts,
            KmsCoreClient kmsCore, DecryptionRequests.Domain domain) {
        super(context, ciphertexts);
        this.acl = acl;
        this.kmsCore = kmsCore;
        this.domain = domain;
    }

    @Override
    public OperationKind kind() {
        return Operations.PUBLIC_DECRYPTION;
    }

    @Override
    public PublicDecryptionJob parse(ClaimedRow row) {
        return PublicDecryptionJob.fromRow(row);
    }

    @Override
    protected Optional<Refusal> authorize(PublicDecryptionJob job) {
        return acl.check(job.handles());
    }

    @Override
    protected SendOutcome start(PublicDecryptionJob job, List<DecryptionRequests.Ciphertext> ciphertexts,
            BigInteger keyId) {
        return kmsCore.publicDecrypt(job.id(), DecryptionRequests.publicDecryption(job.id(), ciphertexts, keyId,
                domain, job.extraData()));
    }

    @Override
    public PollOutcome<PublicDecryptionResponse> poll(PublicDecryptionJob job) {
        return kmsCore.getPublicDecryptionResult(job.id());
    }

    @Override
    public Outcome toResponse(PublicDecryptionJob job, PublicDecryptionResponse reply) {
        if (!reply.hasPayload()) {
            return Outcome.failed("the KMS Core answered without a payload");
        }
        try {
            byte[] result = DecryptionResults.abiEncodePlaintexts(reply.getPayload().getPlaintextsList());
            return new DecryptionResponse(result, reply.getExternalSignature().toByteArray(),
                    reply.getExtraData().toByteArray()).outcome();
        } catch (IllegalArgumentException e) {
            return Outcome.failed("the KMS Core's plaintexts cannot be encoded: " + e.getMessage());
        }
    }
}
