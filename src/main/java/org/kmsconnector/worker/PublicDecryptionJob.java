package org.kmsconnector.worker;

import java.math.BigInteger;
import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.chain.Uint256;

/** A claimed public_decryption_requests row, parsed. */
public record PublicDecryptionJob(byte[] rowId, BigInteger decryptionId, List<Handle> handles, byte[] extraData,
        boolean alreadySent, int errorCounter, byte[] otlpContext, java.time.Instant createdAt) {

    public static PublicDecryptionJob fromRow(Map<String, Object> row) throws SQLException {
        byte[] id = (byte[]) row.get("decryption_id");
        List<Handle> handles = new ArrayList<>();
        Object raw = row.get("ct_handles");
        if (raw instanceof Array array) {
            for (Object h : (Object[]) array.getArray()) {
                handles.add(new Handle((byte[]) h));
            }
        } else if (raw instanceof Object[] values) {
            for (Object h : values) {
                handles.add(new Handle((byte[]) h));
            }
        }
        return new PublicDecryptionJob(id, Uint256.fromLittleEndian(id), handles, (byte[]) row.get("extra_data"),
                Boolean.TRUE.equals(row.get("already_sent")), ((Number) row.get("error_counter")).intValue(),
                (byte[]) row.get("otlp_context"), createdAt(row.get("created_at")));
    }

    public String rowIdHex() {
        return org.kmsconnector.chain.Hex.prefixed(rowId);
    }

    /** A row too broken to parse: only its id is kept so the row can be marked failed. */
    static PublicDecryptionJob unreadable(Map<String, Object> row) {
        byte[] id = row.get("decryption_id") instanceof byte[] b ? b : new byte[0];
        return new PublicDecryptionJob(id, BigInteger.ZERO, List.of(), new byte[0], false, 0, new byte[8],
                java.time.Instant.now());
    }

    static java.time.Instant createdAt(Object value) {
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        return java.time.Instant.now();
    }
}
