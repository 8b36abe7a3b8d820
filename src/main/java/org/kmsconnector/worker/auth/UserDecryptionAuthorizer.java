package org.kmsconnector.worker.auth;

import java.util.Optional;
import org.kmsconnector.worker.job.UserDecryptionJob;

/**
 * The authorisation of a user decryption, run on every attempt before the KMS Core is asked:
 * host-chain ACL (legacy, delegated and unified), and for unified requests the validity window,
 * the user's EIP-712 signature (EOA or ERC-1271 smart account) and its invalidation.
 */
public interface UserDecryptionAuthorizer {
    /** @return empty when the request may go on */
    Optional<Refusal> check(UserDecryptionJob job);
}
