package org.kmsconnector.worker;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.db.ClaimedRow;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.db.Operations;
import org.kmsconnector.kms.v1.UserDecryptionResponse;
import org.kmsconnector.worker.auth.ContextCheck;
import org.kmsconnector.worker.auth.Refusal;
import org.kmsconnector.worker.auth.UserDecryptionAuthorizer;
import org.kmsconnector.worker.ciphertext.CiphertextResolver;
import org.kmsconnector.worker.job.UserDecryptionJob;
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
public final class UserDecryptionFlow extends DecryptionFlow<UserDecryptionJob, UserDecryptionResponse> {
    private final UserDecryptionAuthorizer authorizer;
    private final KmsCoreClient kmsCore;
    private final DecryptionRequests.Domain domain;

    public UserDecryptionFlow(UserDecryptionAuthorizer authorizer, ContextCheck context,
            CiphertextResolver ciphertexts, KmsCoreClient kmsCore, DecryptionRequests.Domain domain) {
        super(context, ciphertexts);
        this.authorizer = authorizer;
        this.kmsCore = kmsCore;
        this.domain = domain;
    }

    @Override
    public OperationKind kind() {
        return Operations.USER_DECRYPTION;
    }

    @Override
    public UserDecryptionJob parse(ClaimedRow row) {
        return UserDecryptionJob.fromRow(row);
    }

    @Override
    protected Optional<Refusal> authorize(UserDecryptionJob job) {
        return authorizer.check(job);
    }

    @Override
    protected SendOutcome start(UserDecryptionJob job, List<DecryptionRequests.Ciphertext> ciphertexts,
            BigInteger keyId) {
        return kmsCore.userDecrypt(job.id(), DecryptionRequests.userDecryption(job.id(), ciphertexts, keyId, domain,
                job.extraData(), Hex.prefixed(job.userAddress()), job.publicKey()));
    }

    @Override
    public PollOutcome<UserDecryptionResponse> poll(UserDecryptionJob job) {
        return kmsCore.getUserDecryptionResult(job.id());
    }

    @Override
    public Outcome toResponse(UserDecryptionJob job, UserDecryptionResponse reply) {
        if (!reply.hasPayload()) {
            return Outcome.failed("the KMS Core answered without a payload");
        }
        return new DecryptionResponse(DecryptionResults.bincodeUserPayload(reply.getPayload()),
                reply.getExternalSignature().toByteArray(), reply.getExtraData().toByteArray()).outcome();
    }
}
