package org.kmsconnector.worker;

import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.chain.Uint256;

/** A claimed public_decryption_requests row, parsed. */
public record PublicDecryptionJob(byte[] rowId, BigInteger decryptionId, List<Handle> handles, byte[] extraData,
        boolean alreadySent, int errorCounter, byte[] otlpContext, Instant createdAt) implements DecryptionJob {

    public static PublicDecryptionJob fromRow(Map<String, Object> row) throws SQLException {
        byte[] id = JobRows.bytes(row, "decryption_id");
        List<Handle> handles = JobRows.byteaList(row, "ct_handles").stream().map(Handle::new).toList();
        return new PublicDecryptionJob(id, Uint256.fromLittleEndian(id), handles, JobRows.bytes(row, "extra_data"),
                JobRows.flag(row, "already_sent"), JobRows.errorCounter(row), JobRows.bytes(row, "otlp_context"),
                JobRows.createdAt(row.get("created_at")));
    }

    /** A row too broken to parse: only its id is kept so the row can be marked failed. */
    static PublicDecryptionJob unreadable(Map<String, Object> row) {
        byte[] id = JobRows.idOf(row);
        return new PublicDecryptionJob(id, JobRows.idValueOf(id), List.of(), new byte[0], false, 0, new byte[8],
                Instant.now());
    }
}
