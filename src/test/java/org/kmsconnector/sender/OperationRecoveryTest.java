package org.kmsconnector.sender;

import com.zaxxer.hikari.HikariDataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmsconnector.config.DatabaseUrl;
import org.kmsconnector.db.DataSources;
import org.kmsconnector.db.Migrations;
import org.kmsconnector.db.OperationTable;
import org.kmsconnector.db.Operations;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recovery job and the backlog gauges on a migrated database, over all 18 live tables:
 * expired decryptions fail, stale claims go back to pending, everything else is left alone, and
 * a table that cannot be updated does not stop the others.
 */
@UsesRealParts
class OperationRecoveryTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration EXPIRY = Duration.ofHours(1);
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private DevDatabase db;
    private HikariDataSource dataSource;
    private ConnectorMetrics metrics;

    @BeforeEach
    void migrate() throws Exception {
        db = TestInfra.database("recovery");
        DatabaseUrl url = db.connection();
        dataSource = DataSources.pooled(url.jdbcUrl(), url.user(), url.password(), 4, "recovery-test");
        Migrations.migrate(dataSource);
        metrics = ConnectorMetrics.inMemory();
    }

    @AfterEach
    void drop() throws Exception {
        dataSource.close();
        db.close();
    }

    @Test
    void staleClaimsOfEveryTableGoBackToPendingAndNothingElseMoves() throws Exception {
        Instant now = Instant.now();
        List<Row> stale = new ArrayList<>();
        List<Row> untouched = new ArrayList<>();
        for (String table : Operations.liveTables().stream().map(OperationTable::name).toList()) {
            stale.add(insert(table, "under_process", now.minusSeconds(120), now.minus(Duration.ofMinutes(10))));
            untouched.add(insert(table, "under_process", now.minusSeconds(120), now.minusSeconds(5)));
            untouched.add(insert(table, "pending", now.minusSeconds(120), now.minus(Duration.ofMinutes(10))));
            untouched.add(insert(table, "failed", now.minusSeconds(120), now.minus(Duration.ofMinutes(10))));
        }

        Map<String, Integer> changed = recovery().run();

        for (Row r : stale) {
            assertEquals("pending", status(r), r.table);
            assertTrue(lastError(r).startsWith("released: under_process for longer than"), lastError(r));
            assertEquals(1, changed.get("released:" + r.table), r.table);
        }
        for (Row r : untouched) {
            assertEquals(r.status, status(r), r.table + " " + r.status);
            assertNull(lastError(r));
        }
        assertEquals(18, changed.size(), "no decryption expired: " + changed);
    }

    @Test
    void expiredDecryptionsFailWhetherPendingOrInWork() throws Exception {
        Instant now = Instant.now();
        Instant old = now.minus(Duration.ofHours(2));
        List<Row> expired = new ArrayList<>();
        List<Row> kept = new ArrayList<>();
        for (String table : Operations.expiringTables().stream().map(OperationTable::name).toList()) {
            expired.add(insert(table, "pending", old, now));
            expired.add(insert(table, "under_process", old, now));
            kept.add(insert(table, "completed", old, now));
            kept.add(insert(table, "pending", now.minusSeconds(60), now));
        }
        // a key generation this old is not a decryption: it never expires
        kept.add(insert("keygen_requests", "pending", old, now));

        recovery().run();

        for (Row r : expired) {
            assertEquals("failed", status(r), r.table);
            assertTrue(lastError(r).startsWith("expired: older than decryption_expiry"), lastError(r));
        }
        for (Row r : kept) {
            assertEquals(r.status, status(r), r.table);
        }
    }

    @Test
    void aTableThatCannotBeUpdatedIsLoggedAndTheOthersStillRecover() throws Exception {
        Instant now = Instant.now();
        Row before = insert("keygen_requests", "under_process", now, now.minus(Duration.ofMinutes(10)));
        Row after = insert("epoch_result_responses", "under_process", now, now.minus(Duration.ofMinutes(10)));
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE crsgen_requests RENAME TO crsgen_requests_away");
        }
        try {
            recovery().run();
        } finally {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("ALTER TABLE crsgen_requests_away RENAME TO crsgen_requests");
            }
        }
        assertEquals("pending", status(before));
        assertEquals("pending", status(after));
        assertEquals(1.0, metrics.count(Metrics.SENDER_RECOVERY_ERRORS, "table", "crsgen_requests"));
    }

    @Test
    void theGaugesCountPendingAndUnderProcessRowsPerTable() throws Exception {
        Instant now = Instant.now();
        for (int i = 0; i < 3; i++) {
            insert("public_decryption_requests", "pending", now, now);
        }
        insert("public_decryption_requests", "under_process", now, now);
        insert("public_decryption_requests", "completed", now, now);
        insert("epoch_result_responses", "under_process", now, now);
        BacklogGauges gauges = new BacklogGauges(dataSource, metrics);

        gauges.update();

        assertEquals(3, gauges.value("public_decryption_requests", "pending"));
        assertEquals(1, gauges.value("public_decryption_requests", "under_process"));
        assertEquals(1, gauges.value("epoch_result_responses", "under_process"));
        assertEquals(0, gauges.value("keygen_responses", "pending"));
        assertEquals(36, metrics.registry().find(Metrics.UNPROCESSED).gauges().size());
        assertEquals(3.0, metrics.registry().get(Metrics.UNPROCESSED).tag("table", "public_decryption_requests")
                .tag("status", "pending").gauge().value());
    }

    @Test
    void aLateResponseDoesNotCompleteAFailedRequest() throws Exception {
        Instant now = Instant.now();
        Row request = insert("public_decryption_requests", "failed", now, now);
        Row inFlight = insert("user_decryption_requests", "under_process", now, now);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO public_decryption_responses (decryption_id, decrypted_result, signature,"
                    + " extra_data, created_at, otlp_context) VALUES ('\\x" + request.hexId + "', '', '', '', now(), '')");
            st.executeUpdate("INSERT INTO user_decryption_responses (decryption_id, user_decrypted_shares, signature,"
                    + " extra_data, created_at, otlp_context) VALUES ('\\x" + inFlight.hexId + "', '', '', '', now(), '')");
        }
        assertEquals("failed", status(request), "the completion trigger only completes requests in flight");
        assertEquals("completed", status(inFlight));
    }

    private OperationRecovery recovery() {
        return new OperationRecovery(dataSource, EXPIRY, TIMEOUT, metrics);
    }

    private record Row(String table, String pk, String hexId, String status) {}

    /** A row with every NOT NULL column filled, whatever the table; the primary key is random. */
    private Row insert(String table, String status, Instant created, Instant updated) throws Exception {
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        String pk = primaryKey(table);
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        String hex = org.web3j.utils.Numeric.toHexStringNoPrefix(id);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?"
                        + " AND is_nullable = 'NO' AND column_default IS NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String col = rs.getString(1);
                    String type = rs.getString(2);
                    if (col.equals("created_at")) {
                        continue;
                    }
                    columns.add(col);
                    values.add(col.equals(pk) ? "'\\x" + hex + "'" : switch (type) {
                        case "bytea" -> "'\\x00'";
                        case "text" -> "'v'";
                        case "ARRAY" -> "'{}'";
                        default -> "'Default'";
                    });
                }
            }
        }
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ", created_at, updated_at, status)"
                + " VALUES (" + String.join(", ", values) + ", ?, ?, '" + status + "')";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(created));
            ps.setTimestamp(2, Timestamp.from(updated));
            ps.executeUpdate();
        }
        return new Row(table, pk, hex, status);
    }

    private String primaryKey(String table) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                        + " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private String status(Row r) throws Exception {
        return column(r, "status::text");
    }

    private String lastError(Row r) throws Exception {
        return column(r, "last_error");
    }

    private String column(Row r, String expr) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + expr + " FROM " + r.table + " WHERE " + r.pk
                        + " = '\\x" + r.hexId + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
