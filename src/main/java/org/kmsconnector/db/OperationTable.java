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
     * A column and how SQL reads and writes it: as is; through text for a type JDBC cannot bind
     * or read (an enum); or, for a {@code key_digest[]} (composite array), as two parallel arrays
     * of key types and digests, in order ({@code <name>_types}, {@code <name>_digests}).
     */
    public record Column(String name, Kind kind, String castType) {
        public enum Kind { PLAIN, CAST, KEY_DIGESTS }

        public Column {
            requireIdentifier(name);
            if (kind == Kind.CAST && (castType == null || !castType.matches("[a-z_][a-z0-9_]*(\\[\\])?"))) {
                throw new IllegalArgumentException("not a plain SQL type: " + castType);
            }
        }

        public static Column of(String name) {
            return new Column(name, Kind.PLAIN, null);
        }

        public static Column cast(String name, String type) {
            return new Column(name, Kind.CAST, type);
        }

        public static Column keyDigests(String name) {
            return new Column(name, Kind.KEY_DIGESTS, null);
        }

        /** In a RETURNING or SELECT list. */
        String read() {
            return switch (kind) {
                case PLAIN -> name;
                case CAST -> name + "::text AS " + name;
                case KEY_DIGESTS -> "ARRAY(SELECT k::text FROM unnest(" + name + ") WITH ORDINALITY AS x(k, d, n)"
                        + " ORDER BY n) AS " + name + "_types, ARRAY(SELECT d FROM unnest(" + name
                        + ") WITH ORDINALITY AS x(k, d, n) ORDER BY n) AS " + name + "_digests";
            };
        }

        /** As bound parameters: one, except the key digests' two arrays. */
        String bind() {
            return switch (kind) {
                case PLAIN -> "?";
                case CAST -> "?::" + castType;
                case KEY_DIGESTS -> "ARRAY(SELECT ROW(k, d)::key_digest FROM unnest(?::key_type[], ?::bytea[])"
                        + " WITH ORDINALITY AS x(k, d, n) ORDER BY n)";
            };
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

    public Column column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(this.name + " has no column " + name));
    }

    /** Table, key and channel names go into SQL text: only plain identifiers are allowed. */
    static String requireIdentifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
        return name;
    }
}
