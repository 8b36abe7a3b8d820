package org.kmsconnector.listener;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.db.Operations;

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
        Optional<Unified> unified) implements ChainEvent {

    /**
     * The RFC016 part of D3. {@code signature} is never null (possibly empty): it is what marks a
     * unified row. An empty {@code allowedContracts} means permissive mode.
     */
    public record Unified(List<byte[]> ownerAddresses, List<byte[]> contractAddresses, List<byte[]> allowedContracts,
            long startTimestamp, long durationSeconds, byte[] signature) {}

    @Override
    public OperationKind kind() {
        return Operations.USER_DECRYPTION;
    }

    @Override
    public BigInteger key() {
        return decryptionId;
    }

    /** A legacy row leaves the RFC016 columns NULL: a NULL signature is what marks it legacy. */
    @Override
    public Map<String, Object> columns() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ct_handles", ctHandles);
        c.put("user_address", userAddress);
        c.put("public_key", publicKey);
        c.put("extra_data", extraData);
        unified.ifPresent(u -> {
            c.put("handle_owner_addresses", u.ownerAddresses());
            c.put("handle_contract_addresses", u.contractAddresses());
            c.put("allowed_contracts", u.allowedContracts());
            c.put("start_timestamp", u.startTimestamp());
            c.put("duration_seconds", u.durationSeconds());
            c.put("signature", u.signature());
        });
        return c;
    }
}
