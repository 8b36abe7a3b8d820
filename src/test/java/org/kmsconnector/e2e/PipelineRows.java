package org.kmsconnector.e2e;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.db.OperationTable;
import org.kmsconnector.devnet.LocalPipeline;
import org.kmsconnector.devnet.ServiceProcess;

/** What the end-to-end tests read of a pipeline's rows, and the service logs they show on failure. */
final class PipelineRows {
    private final LocalPipeline pipeline;

    PipelineRows(LocalPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * A fresh pipeline with the three services started from the jar (the kms-worker with a small
     * max_decryption_attempts, so refusals end within a test), once the listener polls.
     */
    static LocalPipeline startWithServices(String name, long chainId, int maxDecryptionAttempts) throws Exception {
        LocalPipeline pipeline = LocalPipeline.start(serverUrl(), "kmsc_it_" + name + "_" + ProcessHandle.current().pid(),
                Files.createTempDirectory("kmsc-it-" + name + "-"), chainId);
        try {
            Path jar = ServiceProcess.connectorJar();
            pipeline.startService(jar, "gw-listener");
            pipeline.startService(jar, "kms-worker",
                    Map.of("KMS_CONNECTOR_MAX_DECRYPTION_ATTEMPTS", Integer.toString(maxDecryptionAttempts)));
            pipeline.startService(jar, "tx-sender");
            pipeline.awaitListenerPolling(Duration.ofSeconds(90));
            return pipeline;
        } catch (Exception e) {
            pipeline.close();
            throw e;
        }
    }

    /** The PostgreSQL server the tests may create databases on. */
    static String serverUrl() {
        return System.getenv().getOrDefault("KMS_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres");
    }

    /** One SQL expression of the row of {@code table} keyed by the decryption id, as text; null without a row. */
    String column(String table, BigInteger id, String expr) throws Exception {
        return column(table, "decryption_id", id, expr);
    }

    /** The same for any table of the catalogue, by its key. */
    String column(OperationTable table, BigInteger id, String expr) throws Exception {
        return column(table.name(), table.key(), id, expr);
    }

    private String column(String table, String key, BigInteger id, String expr) throws Exception {
        try (Connection c = pipeline.database().open(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + expr + " FROM " + table + " WHERE " + key + " = ?")) {
            ps.setBytes(1, Uint256.toLittleEndian(id));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The first column of the first row of a query, as text; null without a row. */
    String query(String sql) throws Exception {
        try (Connection c = pipeline.database().open(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    byte[] bytes(String table, BigInteger id, String column) throws Exception {
        return bytes(table, "decryption_id", id, column);
    }

    byte[] bytes(OperationTable table, BigInteger id, String column) throws Exception {
        return bytes(table.name(), table.key(), id, column);
    }

    private byte[] bytes(String table, String key, BigInteger id, String column) throws Exception {
        try (Connection c = pipeline.database().open(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + column + " FROM " + table + " WHERE " + key + " = ?")) {
            ps.setBytes(1, Uint256.toLittleEndian(id));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    void awaitStatus(String table, BigInteger id, String status, Instant deadline) throws Exception {
        awaitStatus(table, "decryption_id", id, status, deadline);
    }

    void awaitStatus(OperationTable table, BigInteger id, String status, Instant deadline) throws Exception {
        awaitStatus(table.name(), table.key(), id, status, deadline);
    }

    private void awaitStatus(String table, String key, BigInteger id, String status, Instant deadline)
            throws Exception {
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            last = column(table, key, id, "status::text");
            if (status.equals(last)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(table + " row 0x" + id.toString(16) + " is " + last + ", expected " + status
                + "; last_error: " + column(table, key, id, "last_error") + "\n" + logs());
    }

    /** The end of every service's log. */
    String logs() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (ServiceProcess s : pipeline.services()) {
            String out = s.output();
            sb.append("---- ").append(s.log().getFileName()).append('\n')
                    .append(out.substring(Math.max(0, out.length() - 3000)));
        }
        return sb.toString();
    }
}
