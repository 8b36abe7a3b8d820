package org.kmsconnector.worker;

import java.math.BigInteger;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.kms.v1.UserDecryptionResponse;
import org.kmsconnector.worker.auth.Refusal;
import org.kmsconnector.worker.auth.UserDecryptionAuthorizer;
import org.kmsconnector.worker.kms.DecryptionRequests;
import org.kmsconnector.worker.kms.DecryptionResults;
import org.kmsconnector.worker.kms.KmsCoreClient;
import org.kmsconnector.worker.kms.PollOutcome;
import org.kmsconnector.worker.kms.SendOutcome;

/**
 * User decryption, legacy, delegated or unified alike once authorised: UserDecrypt for the
 * user's address (EIP-55) and public key, and the reply's payload stored as the bincode bytes
 * the KMS signed, so the tx-sender can put exactly those on chain.
 */
public final class UserDecryptionFlow implements DecryptionFlow<UserDecryptionJob, UserDecryptionResponse> {
    private final UserDecryptionAuthorizer authorizer;
    private final KmsCoreClient kmsCore;
    private final DecryptionRequests.Domain domain;

    public UserDecryptionFlow(UserDecryptionAuthorizer authorizer, KmsCoreClient kmsCore,
            DecryptionRequests.Domain domain) {
        this.authorizer = authorizer;
        this.kmsCore = kmsCore;
        this.domain = domain;
    }

    @Override
    public DecryptionKind kind() {
        return DecryptionKind.USER;
    }

    @Override
    public UserDecryptionJob parse(Map<String, Object> row) throws SQLException {
        return UserDecryptionRows.fromRow(row);
    }

    @Override
    public UserDecryptionJob unreadable(Map<String, Object> row) {
        return UserDecryptionRows.unreadable(row);
    }

    @Override
    public Optional<Refusal> authorize(UserDecryptionJob job) {
        return authorizer.check(job);
    }

    @Override
    public SendOutcome send(UserDecryptionJob job, List<DecryptionRequests.Ciphertext> ciphertexts, BigInteger keyId) {
        return kmsCore.userDecrypt(job.decryptionId(), DecryptionRequests.userDecryption(job.decryptionId(),
                ciphertexts, keyId, domain, job.extraData(), Hex.prefixed(job.userAddress()), job.publicKey()));
    }

    @Override
    public PollOutcome<UserDecryptionResponse> poll(BigInteger decryptionId) {
        return kmsCore.getUserDecryptionResult(decryptionId);
    }

    @Override
    public Outcome toResponse(UserDecryptionResponse reply) {
        if (!reply.hasPayload()) {
            return Outcome.failed("the KMS Core answered without a payload");
        }
        return Outcome.done(new DecryptionResponse(DecryptionResults.bincodeUserPayload(reply.getPayload()),
                reply.getExternalSignature().toByteArray(), reply.getExtraData().toByteArray()));
    }
}
