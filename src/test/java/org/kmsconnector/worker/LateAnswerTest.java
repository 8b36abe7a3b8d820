package org.kmsconnector.worker;

import com.zaxxer.hikari.HikariDataSource;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.config.DatabaseUrl;
import org.kmsconnector.db.ClaimedRow;
import org.kmsconnector.db.DataSources;
import org.kmsconnector.db.Migrations;
import org.kmsconnector.db.Operations;
import org.kmsconnector.db.RequestWrites;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.kmsconnector.worker.job.PublicDecryptionJob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A KMS answer that arrives after the recovery job moved its request: a request released to
 * pending still gets its response (the work is done), an expired (failed) one keeps its verdict
 * and no response is stored for the tx-sender to send.
 */
@UsesRealParts
class LateAnswerTest {
    private static DevDatabase db;
    private static HikariDataSource dataSource;
    private static OperationOutcomes outcomes;
    private static int next = 1;

    @BeforeAll
    static void migrate() throws Exception {
        db = TestInfra.database("late_answer");
        DatabaseUrl url = db.connection();
        dataSource = DataSources.pooled(url.jdbcUrl(), url.user(), url.password(), 2, "late-answer-test");
        Migrations.migrate(dataSource);
        outcomes = new OperationOutcomes(new RequestWrites(dataSource, Operations.PUBLIC_DECRYPTION), 20,
                ConnectorMetrics.inMemory());
    }

    @AfterAll
    static void drop() throws Exception {
        dataSource.close();
        db.close();
    }

    @Test
    void anAnswerForARequestStillInWorkIsStoredAndCompletesIt() throws Exception {
        BigInteger id = request("under_process");
        outcomes.record(answered(id));
        assertEquals("completed", status("public_decryption_requests", id));
        assertEquals("pending", status("public_decryption_responses", id));
    }

    @Test
    void anAnswerForARequestReleasedMeanwhileIsStillStored() throws Exception {
        BigInteger id = request("pending");
        outcomes.record(answered(id));
        assertEquals("completed", status("public_decryption_requests", id));
        assertEquals("pending", status("public_decryption_responses", id));
    }

    @Test
    void anAnswerForAnExpiredRequestIsDropped() throws Exception {
        BigInteger id = request("failed");
        outcomes.record(answered(id));
        assertEquals("failed", status("public_decryption_requests", id));
        assertNull(status("public_decryption_responses", id), "nothing for the tx-sender to send");
    }

    private static OperationAttempt<PublicDecryptionJob> answered(BigInteger id) {
        PublicDecryptionJob job = new PublicDecryptionJob(Uint256.toLittleEndian(id), id, List.of(), new byte[0],
                true, 0, new byte[8], Instant.now());
        OperationAttempt<PublicDecryptionJob> attempt = new OperationAttempt<>(
                new ClaimedRow(Operations.PUBLIC_DECRYPTION.requests(), Map.of("decryption_id", job.key())), job);
        attempt.end(new DecryptionResponse(new byte[32], new byte[65], new byte[0]).outcome());
        return attempt;
    }

    private static synchronized BigInteger request(String status) throws Exception {
        BigInteger id = BigInteger.ONE.shiftLeft(248).add(BigInteger.valueOf(next++));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO public_decryption_requests (decryption_id, extra_data, created_at, otlp_context, status)"
                        + " VALUES (?, '', ?, '\\x0000000000000000', ?::operation_status)")) {
            ps.setBytes(1, Uint256.toLittleEndian(id));
            ps.setTimestamp(2, Timestamp.from(Instant.now()));
            ps.setString(3, status);
            ps.executeUpdate();
        }
        return id;
    }

    private static String status(String table, BigInteger id) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT status::text FROM " + table + " WHERE decryption_id = ?")) {
            ps.setBytes(1, Uint256.toLittleEndian(id));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
