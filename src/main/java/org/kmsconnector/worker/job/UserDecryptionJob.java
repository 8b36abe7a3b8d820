package org.kmsconnector.worker.job;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.db.ClaimedRow;

/**
 * A claimed user_decryption_requests row. {@code unified} is present for the EIP-712 (RFC016)
 * requests, whose row has a signature; legacy rows (direct or delegated) have none and are
 * authorised from the request transaction's calldata, found by {@code txHash}. A unified row's
 * per-handle arrays must line up with ct_handles and its timestamps must be set; a row that
 * breaks these rules is unreadable and fails on its own.
 *
 * @param userAddress 20 bytes: the user (legacy: the delegate for delegated requests)
 * @param txHash the Gateway transaction that emitted the event, or null
 */
public record UserDecryptionJob(byte[] key, BigInteger id, List<Handle> handles, byte[] userAddress,
        byte[] publicKey, byte[] extraData, byte[] txHash, boolean alreadySent, int errorCounter, byte[] otlpContext,
        Instant createdAt, Optional<Unified> unified) implements DecryptionJob {

    /**
     * The RFC016 payload: per-handle owner and contract (aligned with {@code handles}), the
     * allowed contracts (empty = permissive), the validity window and the user's signature.
     */
    public record Unified(List<byte[]> ownerAddresses, List<byte[]> contractAddresses, List<byte[]> allowedContracts,
            long startTimestamp, long durationSeconds, byte[] signature) {}

    public static UserDecryptionJob fromRow(ClaimedRow row) {
        List<Handle> handles = PublicDecryptionJob.handles(row);
        return new UserDecryptionJob(row.key(), row.id(), handles, row.address("user_address"),
                row.bytes("public_key"), row.bytes("extra_data"), row.optionalBytes("tx_hash").orElse(null),
                row.flag("already_sent"), row.errorCounter(), row.otlpContext(), row.createdAt(),
                unified(row, handles.size()));
    }

    private static Optional<Unified> unified(ClaimedRow row, int handleCount) {
        if (row.isNull("signature")) {
            return Optional.empty();
        }
        List<byte[]> owners = aligned(row, "handle_owner_addresses", handleCount);
        List<byte[]> contracts = aligned(row, "handle_contract_addresses", handleCount);
        if (row.isNull("allowed_contracts")) {
            throw new IllegalArgumentException("allowed_contracts is NULL in a unified request ('{}' is permissive)");
        }
        return Optional.of(new Unified(owners, contracts, row.addressList("allowed_contracts"),
                row.int64("start_timestamp"), row.int64("duration_seconds"), row.bytes("signature")));
    }

    private static List<byte[]> aligned(ClaimedRow row, String column, int handleCount) {
        if (row.isNull(column)) {
            throw new IllegalArgumentException(column + " is NULL in a unified request");
        }
        List<byte[]> values = row.addressList(column);
        if (values.size() != handleCount) {
            throw new IllegalArgumentException(column + " has " + values.size() + " entries for " + handleCount
                    + " handles");
        }
        return values;
    }
}
