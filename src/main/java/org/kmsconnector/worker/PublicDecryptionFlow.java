package org.kmsconnector.worker;

import java.math.BigInteger;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kmsconnector.kms.v1.PublicDecryptionResponse;
import org.kmsconnector.worker.auth.PublicDecryptionAcl;
import org.kmsconnector.worker.auth.Refusal;
import org.kmsconnector.worker.kms.DecryptionRequests;
import org.kmsconnector.worker.kms.DecryptionResults;
import org.kmsconnector.worker.kms.KmsCoreClient;
import org.kmsconnector.worker.kms.PollOutcome;
import org.kmsconnector.worker.kms.SendOutcome;

/** Public decryption: host ACL isAllowedForDecryption, PublicDecrypt, and the plaintexts as ABI words. */
public final class PublicDecryptionFlow implements DecryptionFlow<PublicDecryptionJob, PublicDecryptionResponse> {
    private final PublicDecryptionAcl acl;
    private final KmsCoreClient kmsCore;
    private final DecryptionRequests.Domain domain;

    public PublicDecryptionFlow(PublicDecryptionAcl acl, KmsCoreClient kmsCore, DecryptionRequests.Domain domain) {
        this.acl = acl;
        this.kmsCore = kmsCore;
        this.domain = domain;
    }

    @Override
    public DecryptionKind kind() {
        return DecryptionKind.PUBLIC;
    }

    @Override
    public PublicDecryptionJob parse(Map<String, Object> row) throws SQLException {
        return PublicDecryptionJob.fromRow(row);
    }

    @Override
    public PublicDecryptionJob unreadable(Map<String, Object> row) {
        return PublicDecryptionJob.unreadable(row);
    }

    @Override
    public Optional<Refusal> authorize(PublicDecryptionJob job) {
        return acl.check(job.handles());
    }

    @Override
    public SendOutcome send(PublicDecryptionJob job, List<DecryptionRequests.Ciphertext> ciphertexts,
            BigInteger keyId) {
        return kmsCore.publicDecrypt(job.decryptionId(), DecryptionRequests.publicDecryption(job.decryptionId(),
                ciphertexts, keyId, domain, job.extraData()));
    }

    @Override
    public PollOutcome<PublicDecryptionResponse> poll(BigInteger decryptionId) {
        return kmsCore.getPublicDecryptionResult(decryptionId);
    }

    @Override
    public Outcome toResponse(PublicDecryptionResponse reply) {
        if (!reply.hasPayload()) {
            return Outcome.failed("the KMS Core answered without a payload");
        }
        try {
            byte[] result = DecryptionResults.abiEncodePlaintexts(reply.getPayload().getPlaintextsList());
            return Outcome.done(new DecryptionResponse(result, reply.getExternalSignature().toByteArray(),
                    reply.getExtraData().toByteArray()));
        } catch (IllegalArgumentException e) {
            return Outcome.failed("the KMS Core's plaintexts cannot be encoded: " + e.getMessage());
        }
    }
}
