package org.kmsconnector.worker;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.chain.Uint256;

/**
 * Reads a claimed user_decryption_requests row. The variant follows the signature column: NULL
 * is a legacy (or delegated) request, anything else a unified one, whose per-handle arrays must
 * line up with ct_handles and whose timestamps must be set. A row that breaks these rules is
 * unreadable and fails on its own.
 */
final class UserDecryptionRows {
    private UserDecryptionRows() {}

    static UserDecryptionJob fromRow(Map<String, Object> row) throws SQLException {
        byte[] id = JobRows.bytes(row, "decryption_id");
        List<Handle> handles = JobRows.byteaList(row, "ct_handles").stream().map(Handle::new).toList();
        byte[] txHash = JobRows.isNull(row, "tx_hash") ? null : JobRows.bytes(row, "tx_hash");
        return new UserDecryptionJob(id, Uint256.fromLittleEndian(id), handles,
                JobRows.address(JobRows.bytes(row, "user_address"), "user_address"),
                JobRows.bytes(row, "public_key"), JobRows.bytes(row, "extra_data"), txHash,
                JobRows.flag(row, "already_sent"), JobRows.errorCounter(row), JobRows.bytes(row, "otlp_context"),
                JobRows.createdAt(row.get("created_at")), unified(row, handles.size()));
    }

    private static Optional<UserDecryptionJob.Unified> unified(Map<String, Object> row, int handleCount)
            throws SQLException {
        if (JobRows.isNull(row, "signature")) {
            return Optional.empty();
        }
        List<byte[]> owners = aligned(row, "handle_owner_addresses", handleCount);
        List<byte[]> contracts = aligned(row, "handle_contract_addresses", handleCount);
        if (JobRows.isNull(row, "allowed_contracts")) {
            throw new IllegalArgumentException("allowed_contracts is NULL in a unified request ('{}' is permissive)");
        }
        List<byte[]> allowed = addresses(JobRows.byteaList(row, "allowed_contracts"), "allowed_contracts");
        return Optional.of(new UserDecryptionJob.Unified(owners, contracts, allowed,
                JobRows.int64(row, "start_timestamp"), JobRows.int64(row, "duration_seconds"),
                JobRows.bytes(row, "signature")));
    }

    private static List<byte[]> aligned(Map<String, Object> row, String column, int handleCount) throws SQLException {
        if (JobRows.isNull(row, column)) {
            throw new IllegalArgumentException(column + " is NULL in a unified request");
        }
        List<byte[]> values = addresses(JobRows.byteaList(row, column), column);
        if (values.size() != handleCount) {
            throw new IllegalArgumentException(column + " has " + values.size() + " entries for " + handleCount
                    + " handles");
        }
        return values;
    }

    private static List<byte[]> addresses(List<byte[]> values, String column) {
        values.forEach(v -> JobRows.address(v, column + " element"));
        return values;
    }

    /** A row too broken to parse: only its id is kept so the row can be marked failed. */
    static UserDecryptionJob unreadable(Map<String, Object> row) {
        byte[] id = JobRows.idOf(row);
        return new UserDecryptionJob(id, JobRows.idValueOf(id), List.of(), new byte[20], new byte[0], new byte[0],
                null, false, 0, new byte[8], Instant.now(), Optional.empty());
    }
}
