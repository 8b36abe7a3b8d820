package org.kmsconnector.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.db.Operations;

/**
 * The pipeline as the database shows it, for the status page: each stage's rows by status, what
 * completed in the last minute, the chains' checkpoints, the KMS context and epoch in use (the
 * newest valid pair of the context cache) and the latest failures with their reasons. Any service
 * can answer it: they share the database.
 */
public final class PipelineStatus {
    /** A stage: table, the name shown, and its id column. */
    record Stage(String table, String label, String idColumn) {}

    /** Every live table of the catalogue, each kind's requests then its responses. */
    static final List<Stage> STAGES = Operations.ALL.stream().flatMap(kind -> Stream.concat(
            Stream.of(new Stage(kind.requests().name(), kind.label() + " requests", kind.requests().key())),
            kind.responses().stream().map(r -> new Stage(r.table().name(), kind.responseLabel() + "s",
                    r.table().key())))).toList();
    private static final int RECENT_FAILURES = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;

    public PipelineStatus(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public String json() throws SQLException {
        ObjectNode root = JSON.createObjectNode();
        root.put("time", Instant.now().toString());
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            ArrayNode stages = root.putArray("stages");
            for (Stage stage : STAGES) {
                stages.add(stage(st, stage));
            }
            try (ResultSet rs = st.executeQuery("SELECT chain_name, block_number FROM last_block_polled_by_chain"
                    + " WHERE block_number IS NOT NULL")) {
                while (rs.next()) {
                    root.put(rs.getString(1) + "_block", rs.getLong(2));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT e.context_id, e.id FROM kms_epoch e"
                    + " JOIN kms_context c ON c.id = e.context_id WHERE e.is_valid AND c.is_valid"
                    + " ORDER BY e.created_at DESC, e.id DESC LIMIT 1")) {
                if (rs.next()) {
                    root.put("kms_context", Hex.prefixed(reverse(rs.getBytes(1))));
                    root.put("kms_epoch", Hex.prefixed(reverse(rs.getBytes(2))));
                }
            }
            root.set("failures", failures(st));
        }
        return root.toString();
    }

    private static ObjectNode stage(Statement st, Stage stage) throws SQLException {
        ObjectNode node = JSON.createObjectNode();
        node.put("table", stage.table());
        node.put("label", stage.label());
        ObjectNode counts = node.putObject("counts");
        for (String status : List.of("pending", "under_process", "completed", "failed", "aborted")) {
            counts.put(status, 0);
        }
        try (ResultSet rs = st.executeQuery("SELECT status::text, count(*) FROM " + stage.table() + " GROUP BY status")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + stage.table()
                + " WHERE status = 'completed' AND updated_at > now() - interval '60 seconds'")) {
            rs.next();
            node.put("completed_last_minute", rs.getLong(1));
        }
        return node;
    }

    private static ArrayNode failures(Statement st) throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (Stage stage : STAGES) {
            if (sql.length() > 0) {
                sql.append(" UNION ALL ");
            }
            sql.append("SELECT '").append(stage.label()).append("' AS stage, ").append(stage.idColumn())
                    .append(" AS id, last_error, updated_at::timestamptz AS at FROM ").append(stage.table())
                    .append(" WHERE status = 'failed'");
        }
        sql.append(" ORDER BY at DESC LIMIT ").append(RECENT_FAILURES);
        ArrayNode out = JSON.createArrayNode();
        try (ResultSet rs = st.executeQuery(sql.toString())) {
            while (rs.next()) {
                ObjectNode f = out.addObject();
                f.put("stage", rs.getString("stage"));
                f.put("id", Hex.prefixed(reverse(rs.getBytes("id"))));
                f.put("reason", rs.getString("last_error"));
                f.put("at", rs.getTimestamp("at").toInstant().toString());
            }
        }
        return out;
    }

    /** DB ids are little-endian; people read them as the big-endian uint256 of the chain. */
    private static byte[] reverse(byte[] le) {
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return be;
    }
}
