package org.kmsconnector.db;

import com.zaxxer.hikari.HikariDataSource;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.config.DatabaseUrl;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guarded status writes on a real, migrated database. */
@UsesRealParts
class ResponseWritesTest {
    private static DevDatabase db;
    private static HikariDataSource dataSource;
    private static ResponseWrites outcomes;
    private static int next = 1;

    @BeforeAll
    static void migrate() throws Exception {
        db = TestInfra.database("outcomes");
        DatabaseUrl url = db.connection();
        dataSource = DataSources.pooled(url.jdbcUrl(), url.user(), url.password(), 2, "outcomes-test");
        Migrations.migrate(dataSource);
        outcomes = new ResponseWrites(dataSource, Operations.PUBLIC_DECRYPTION.responseTable());
    }

    @AfterAll
    static void drop() throws Exception {
        dataSource.close();
        db.close();
    }

    @Test
    void anUnderProcessRowMovesToEachOutcome() throws Exception {
        byte[] done = row("under_process");
        byte[] retry = row("under_process");
        byte[] refused = row("under_process");

        assertTrue(outcomes.completed(done));
        assertTrue(outcomes.backToPending(retry, "no receipt"));
        assertTrue(outcomes.failed(refused, "DecryptionNotRequested(uint256)"));

        assertEquals("completed", status(done));
        assertNull(lastError(done));
        assertEquals("pending", status(retry));
        assertEquals("no receipt", lastError(retry));
        assertEquals("failed", status(refused));
        assertEquals("DecryptionNotRequested(uint256)", lastError(refused));
    }

    @Test
    void aCompletedRowIsNeverTurnedBack() throws Exception {
        byte[] id = row("under_process");
        assertTrue(outcomes.completed(id));

        assertFalse(outcomes.backToPending(id, "late timeout"));
        assertFalse(outcomes.failed(id, "late refusal"));
        assertFalse(outcomes.completed(id));
        assertEquals("completed", status(id));
        assertNull(lastError(id));
    }

    @Test
    void rowsNotUnderProcessAreLeftAlone() throws Exception {
        byte[] pending = row("pending");
        byte[] failed = row("failed");

        assertFalse(outcomes.completed(pending));
        assertFalse(outcomes.completed(failed));
        assertFalse(outcomes.backToPending(failed, "x"));
        assertEquals("pending", status(pending));
        assertEquals("failed", status(failed));
    }

    @Test
    void aLongReasonIsCut() throws Exception {
        byte[] id = row("under_process");
        assertTrue(outcomes.failed(id, "x".repeat(10_000)));
        assertEquals(FailureReason.MAX_LENGTH, lastError(id).length());
    }

    private static byte[] row(String status) throws Exception {
        byte[] id = Uint256.toLittleEndian(BigInteger.ONE.shiftLeft(248).add(BigInteger.valueOf(next++)));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO public_decryption_responses (decryption_id, decrypted_result, signature, extra_data,"
                        + " created_at, otlp_context, status) VALUES (?, '\\x01', '\\x02', '\\x00', now(),"
                        + " '\\x0000000000000000', ?::operation_status)")) {
            ps.setBytes(1, id);
            ps.setString(2, status);
            ps.executeUpdate();
        }
        return id;
    }

    private static String status(byte[] id) throws Exception {
        return column(id, "status::text");
    }

    private static String lastError(byte[] id) throws Exception {
        return column(id, "last_error");
    }

    private static String column(byte[] id, String expr) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + expr + " FROM public_decryption_responses WHERE decryption_id = ?")) {
            ps.setBytes(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
