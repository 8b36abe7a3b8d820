package org.kmsconnector.listener;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * A user decryption request, as stored in user_decryption_requests. Legacy and delegated
 * requests (D2) have no {@code unified} part (their row has a NULL signature); the unified
 * EIP-712 request (D3) has one, with the per-handle owner and contract aligned with
 * {@code ctHandles}.
 *
 * @param userAddress 20 bytes; for a delegated legacy request, the delegate
 */
public record UserDecryptionRequested(BigInteger decryptionId, List<byte[]> ctHandles, byte[] userAddress,
        byte[] publicKey, byte[] extraData, byte[] txHash, long blockNumber, long logIndex,
        Optional<Unified> unified) implements GatewayEvent {

    /**
     * The RFC016 part of D3. {@code signature} is never null (possibly empty): it is what marks a
     * unified row. An empty {@code allowedContracts} means permissive mode.
     */
    public record Unified(List<byte[]> ownerAddresses, List<byte[]> contractAddresses, List<byte[]> allowedContracts,
            long startTimestamp, long durationSeconds, byte[] signature) {}
}
