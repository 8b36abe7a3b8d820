package org.kmsconnector.db;

import java.math.BigInteger;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.KeyDigest;
import org.kmsconnector.chain.Uint256;

/**
 * A row a claim returned (as camel-sql hands it over: column name to JDBC value), read with the
 * same checks by the kms-worker and the tx-sender. A getter throws IllegalArgumentException
 * naming the column when the value is missing or of the wrong kind; the caller then fails that row
 * alone.
 */
public final class ClaimedRow {
    private final OperationTable table;
    private final Map<String, Object> values;

    public ClaimedRow(OperationTable table, Map<String, Object> values) {
        this.table = table;
        this.values = values == null ? Map.of() : values;
    }

    public OperationTable table() {
        return table;
    }

    /** The primary key as stored: 32 bytes, little-endian. */
    public byte[] key() {
        byte[] key = bytes(table.key());
        if (key.length != 32) {
            throw new IllegalArgumentException(table.key() + " is " + key.length + " bytes, not 32");
        }
        return key;
    }

    /** The primary key's uint256 value. */
    public BigInteger id() {
        return Uint256.fromLittleEndian(key());
    }

    /** The key as far as it can be read, for logs and for marking a broken row; null when unusable. */
    public byte[] keyOrNull() {
        return values.get(table.key()) instanceof byte[] b ? b : null;
    }

    /** The key for logs: the uint256 in hex when readable, else what is there. */
    public String describeKey() {
        byte[] raw = keyOrNull();
        if (raw == null) {
            return "(no usable " + table.key() + ")";
        }
        return raw.length == 32 ? "0x" + Uint256.fromLittleEndian(raw).toString(16) : Hex.prefixed(raw) + " (raw)";
    }

    public boolean isNull(String column) {
        return values.get(column) == null;
    }

    public byte[] bytes(String column) {
        Object v = values.get(column);
        if (!(v instanceof byte[] b)) {
            throw new IllegalArgumentException(column + " is " + (v == null ? "NULL" : "not bytea"));
        }
        return b;
    }

    public Optional<byte[]> optionalBytes(String column) {
        return isNull(column) ? Optional.empty() : Optional.of(bytes(column));
    }

    /** A uint256 column stored as 32 little-endian bytes. */
    public BigInteger uint256(String column) {
        byte[] b = bytes(column);
        if (b.length != 32) {
            throw new IllegalArgumentException(column + " is " + b.length + " bytes, not a 32-byte uint256");
        }
        return Uint256.fromLittleEndian(b);
    }

    /** A 20-byte address. */
    public byte[] address(String column) {
        return address(bytes(column), column);
    }

    /** A bytea[] column; NULL is an empty list (such a request then fails its own checks). */
    public List<byte[]> byteaList(String column) {
        Object[] items = array(column);
        List<byte[]> out = new ArrayList<>(items.length);
        for (Object item : items) {
            if (!(item instanceof byte[] b)) {
                throw new IllegalArgumentException(column + " holds a NULL or non-bytea element");
            }
            out.add(b);
        }
        return out;
    }

    /** A bytea[] of addresses. */
    public List<byte[]> addressList(String column) {
        List<byte[]> values = byteaList(column);
        values.forEach(v -> address(v, column + " element"));
        return values;
    }

    public long int64(String column) {
        if (!(values.get(column) instanceof Number n)) {
            throw new IllegalArgumentException(column + " is NULL");
        }
        return n.longValue();
    }

    public Optional<Long> optionalInt64(String column) {
        return isNull(column) ? Optional.empty() : Optional.of(int64(column));
    }

    public String text(String column) {
        Object v = values.get(column);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(column + " is " + (v == null ? "NULL" : "not text"));
        }
        return s;
    }

    public Optional<String> optionalText(String column) {
        return isNull(column) ? Optional.empty() : Optional.of(text(column));
    }

    /** A key digests column, claimed as its two parallel arrays (see OperationTable.Column). */
    public List<KeyDigest> keyDigests(String column) {
        Object[] types = array(column + "_types");
        Object[] digests = array(column + "_digests");
        if (types.length != digests.length) {
            throw new IllegalArgumentException(column + " has " + types.length + " types for " + digests.length
                    + " digests");
        }
        List<KeyDigest> out = new ArrayList<>(types.length);
        for (int i = 0; i < types.length; i++) {
            if (!(types[i] instanceof String type) || !(digests[i] instanceof byte[] digest)) {
                throw new IllegalArgumentException(column + " element " + i + " is incomplete");
            }
            out.add(new KeyDigest(KeyDigest.Type.valueOf(type), digest));
        }
        return out;
    }

    /** A boolean column; NULL reads as false. */
    public boolean flag(String column) {
        return Boolean.TRUE.equals(values.get(column));
    }

    /** error_counter where the table has one, else 0. */
    public int errorCounter() {
        return values.get("error_counter") instanceof Number n ? n.intValue() : 0;
    }

    /** created_at; a row without one is treated as created now (it only feeds latency metrics). */
    public Instant createdAt() {
        Object v = values.get("created_at");
        if (v instanceof Timestamp t) {
            return t.toInstant();
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof Instant i) {
            return i;
        }
        return Instant.now();
    }

    /** otlp_context; the empty map's encoding (8 zero bytes) when missing. */
    public byte[] otlpContext() {
        return values.get("otlp_context") instanceof byte[] b ? b : new byte[8];
    }

    /** An array column's elements; NULL is none. */
    private Object[] array(String column) {
        Object raw = values.get(column);
        try {
            return raw instanceof Array array ? (Object[]) array.getArray()
                    : raw instanceof Object[] plain ? plain : new Object[0];
        } catch (SQLException e) {
            throw new IllegalArgumentException(column + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static byte[] address(byte[] value, String what) {
        if (value == null || value.length != 20) {
            throw new IllegalArgumentException(what + " is not a 20-byte address");
        }
        return value;
    }
}
