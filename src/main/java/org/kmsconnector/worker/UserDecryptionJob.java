package org.kmsconnector.worker;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.chain.Handle;

/**
 * A claimed user_decryption_requests row. {@code unified} is present for the EIP-712 (RFC016)
 * requests, whose row has a signature; legacy rows (direct or delegated) have none and are
 * authorised from the request transaction's calldata, found by {@code txHash}.
 *
 * @param userAddress 20 bytes: the user (legacy: the delegate for delegated requests)
 * @param txHash the Gateway transaction that emitted the event, or null
 */
public record UserDecryptionJob(byte[] rowId, BigInteger decryptionId, List<Handle> handles, byte[] userAddress,
        byte[] publicKey, byte[] extraData, byte[] txHash, boolean alreadySent, int errorCounter, byte[] otlpContext,
        Instant createdAt, Optional<Unified> unified) implements DecryptionJob {

    /**
     * The RFC016 payload: per-handle owner and contract (aligned with {@code handles}), the
     * allowed contracts (empty = permissive), the validity window and the user's signature.
     */
    public record Unified(List<byte[]> ownerAddresses, List<byte[]> contractAddresses, List<byte[]> allowedContracts,
            long startTimestamp, long durationSeconds, byte[] signature) {}
}
