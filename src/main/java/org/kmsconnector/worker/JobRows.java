package org.kmsconnector.worker;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading the columns of a claimed row as the sql component hands it over. */
final class JobRows {
    private JobRows() {}

    /** A bytea[] column; NULL is an empty list (such a request then fails its checks, alone). */
    static List<byte[]> byteaList(Map<String, Object> row, String column) throws SQLException {
        Object raw = row.get(column);
        Object[] values = raw instanceof Array array ? (Object[]) array.getArray()
                : raw instanceof Object[] plain ? plain : new Object[0];
        List<byte[]> out = new ArrayList<>(values.length);
        for (Object v : values) {
            if (!(v instanceof byte[] b)) {
                throw new IllegalArgumentException(column + " holds a NULL or non-bytea element");
            }
            out.add(b);
        }
        return out;
    }

    static boolean isNull(Map<String, Object> row, String column) {
        return row.get(column) == null;
    }

    static byte[] bytes(Map<String, Object> row, String column) {
        Object v = row.get(column);
        if (!(v instanceof byte[] b)) {
            throw new IllegalArgumentException(column + " is " + (v == null ? "NULL" : "not bytea"));
        }
        return b;
    }

    /** A 20-byte address column or element. */
    static byte[] address(byte[] value, String what) {
        if (value == null || value.length != 20) {
            throw new IllegalArgumentException(what + " is not a 20-byte address");
        }
        return value;
    }

    static long int64(Map<String, Object> row, String column) {
        if (!(row.get(column) instanceof Number n)) {
            throw new IllegalArgumentException(column + " is NULL");
        }
        return n.longValue();
    }

    static boolean flag(Map<String, Object> row, String column) {
        return Boolean.TRUE.equals(row.get(column));
    }

    static int errorCounter(Map<String, Object> row) {
        return row.get("error_counter") instanceof Number n ? n.intValue() : 0;
    }

    static Instant createdAt(Object value) {
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        return Instant.now();
    }

    /** The id bytes of a row too broken to parse, so it can still be marked failed. */
    static byte[] idOf(Map<String, Object> row) {
        return row.get("decryption_id") instanceof byte[] b ? b : new byte[0];
    }

    /** The decryption id of such a row for the logs, zero when even the id is unusable. */
    static java.math.BigInteger idValueOf(byte[] rowId) {
        return rowId.length == 32 ? org.kmsconnector.chain.Uint256.fromLittleEndian(rowId) : java.math.BigInteger.ZERO;
    }
}
