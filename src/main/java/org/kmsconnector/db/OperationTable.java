package org.kmsconnector.db;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One live table of operations with a status: its name, its primary key (a uint256 stored as 32
 * little-endian bytes), the channel its insert trigger NOTIFYs, and the kind's own columns (the
 * ones every such table has — status, timestamps, otlp_context, the claim bookkeeping — are added
 * by {@link OperationSql}).
 */
public record OperationTable(String name, String key, String channel, List<Column> columns) {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    /**
     * A column and, for a PostgreSQL type JDBC cannot bind or read as is (an enum, a composite
     * array), that type: such a column is read as text and written from text.
     */
    public record Column(String name, String castType) {
        public Column {
            requireIdentifier(name);
            if (castType != null && !castType.matches("[a-z_][a-z0-9_]*(\\[\\])?")) {
                throw new IllegalArgumentException("not a plain SQL type: " + castType);
            }
        }

        public static Column of(String name) {
            return new Column(name, null);
        }

        /** In a RETURNING or SELECT list. */
        String read() {
            return castType == null ? name : name + "::text AS " + name;
        }

        /** As a bound parameter. */
        String bind() {
            return castType == null ? "?" : "?::" + castType;
        }
    }

    public OperationTable {
        requireIdentifier(name);
        requireIdentifier(key);
        requireIdentifier(channel);
        columns = List.copyOf(columns);
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    /** Table, key and channel names go into SQL text: only plain identifiers are allowed. */
    static String requireIdentifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
        return name;
    }
}
