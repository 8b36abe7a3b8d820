package org.kmsconnector.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.kmsconnector.chain.KeyDigest;

/** Binds a value to the parameters {@link OperationTable.Column#bind()} wrote for its column. */
public final class ColumnValues {
    private ColumnValues() {}

    /**
     * @param value byte[] (bytea), a List of byte[] (bytea[]), Long, String (text or a cast enum),
     *     or for a key digests column a List of {@link KeyDigest}
     * @return the index of the next parameter
     */
    public static int bind(Connection c, PreparedStatement ps, int index, OperationTable.Column column, Object value)
            throws SQLException {
        if (column.kind() == OperationTable.Column.Kind.KEY_DIGESTS) {
            List<KeyDigest> digests = keyDigests(column, value);
            ps.setArray(index, c.createArrayOf("text",
                    digests.stream().map(d -> d.type().name()).toArray(String[]::new)));
            ps.setArray(index + 1, c.createArrayOf("bytea", digests.stream().map(KeyDigest::digest)
                    .toArray(byte[][]::new)));
            return index + 2;
        }
        if (value instanceof byte[] bytes) {
            ps.setBytes(index, bytes);
        } else if (value instanceof List<?> list) {
            ps.setArray(index, c.createArrayOf("bytea", list.toArray(new byte[0][])));
        } else if (value instanceof Long number) {
            ps.setLong(index, number);
        } else if (value instanceof String text) {
            ps.setString(index, text);
        } else {
            throw new IllegalArgumentException("cannot store a " + (value == null ? "null" : value.getClass())
                    + " in " + column.name());
        }
        return index + 1;
    }

    private static List<KeyDigest> keyDigests(OperationTable.Column column, Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(KeyDigest.class::isInstance)) {
            throw new IllegalArgumentException(column.name() + " takes a non-empty list of key digests");
        }
        return list.stream().map(KeyDigest.class::cast).toList();
    }
}
