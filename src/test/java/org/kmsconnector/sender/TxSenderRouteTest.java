package org.kmsconnector.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.cli.ServiceRuntime;
import org.kmsconnector.config.ConfigLoader;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.devnet.AnvilNode;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.testsupport.TestInfra;
import org.web3j.utils.Numeric;

/**
 * The tx-sender's routes in a Camel Main assembled as the launcher does it, against a migrated
 * database and anvil: rows inserted as the kms-worker would are claimed on NOTIFY (the fallback
 * poll is a minute away) and end completed on chain, or failed with their reason.
 */
class TxSenderRouteTest {
    private static final Duration FALLBACK = Duration.ofSeconds(60);

    private static AnvilNode anvil;
    private static DecryptionFixture fixture;
    private static DevDatabase db;
    private static ServiceRuntime runtime;
    private static HikariDataSource dataSource;
    private static ConnectorMetrics metrics;

    @BeforeAll
    static void start() throws Exception {
        anvil = TestInfra.anvil();
        fixture = DecryptionFixture.deploy(anvil);
        db = TestInfra.database("tx_sender_route");

        ConnectorConfig config = ConfigLoader.load(ServiceKind.TX_SENDER, Optional.empty(), Map.ofEntries(
                Map.entry("KMS_CONNECTOR_DATABASE_URL", db.url()),
                Map.entry("KMS_CONNECTOR_GATEWAY_URL", anvil.url()),
                Map.entry("KMS_CONNECTOR_GATEWAY_CHAIN_ID", Long.toString(anvil.chainId())),
                Map.entry("KMS_CONNECTOR_ETHEREUM_URL", anvil.url()),
                Map.entry("KMS_CONNECTOR_ETHEREUM_CHAIN_ID", Long.toString(anvil.chainId())),
                Map.entry("KMS_CONNECTOR_DECRYPTION_CONTRACT__ADDRESS", fixture.decryption()),
                Map.entry("KMS_CONNECTOR_KMS_GENERATION_CONTRACT__ADDRESS", fixture.gateway.gatewayConfig()),
                Map.entry("KMS_CONNECTOR_PROTOCOL_CONFIG_CONTRACT__ADDRESS", fixture.gateway.gatewayConfig()),
                Map.entry("KMS_CONNECTOR_PRIVATE_KEY",
                        Numeric.toHexStringWithPrefixZeroPadded(DevAccounts.TX_SENDER.getEcKeyPair().getPrivateKey(), 64)),
                Map.entry("KMS_CONNECTOR_DATABASE_POLLING_TIMEOUT", FALLBACK.toSeconds() + "s"),
                Map.entry("KMS_CONNECTOR_TASK_LIMIT", "4")));

        runtime = ServiceRuntime.assemble(config);
        runtime.startInBackground(Duration.ofSeconds(30));
        dataSource = runtime.dataSource();
        metrics = runtime.metrics();
        // let the first (immediate) claim pass, so only a NOTIFY can pick up what is inserted next
        Thread.sleep(1000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        if (db != null) {
            db.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void insertedResponsesAreSentOnNotifyAndEndCompletedOrFailed() throws Exception {
        DecryptionFixture.Request request = fixture.request(2);
        DecryptionFixture.Response valid = fixture.answer(request);
        DecryptionFixture.Response unknown = new DecryptionFixture.Response(request.id().add(BigInteger.valueOf(1000)),
                valid.decryptedResult(), valid.signature(), valid.extraData());
        byte[] validId = Uint256.toLittleEndian(valid.id());
        byte[] unknownId = Uint256.toLittleEndian(unknown.id());
        byte[] malformedId = {1, 2, 3};

        Instant inserted = Instant.now();
        insert(validId, valid);
        insert(unknownId, unknown);
        insert(malformedId, valid);

        Duration limit = FALLBACK.dividedBy(4);
        awaitTerminal(validId, limit);
        awaitTerminal(unknownId, limit);
        awaitTerminal(malformedId, limit);
        Duration took = Duration.between(inserted, Instant.now());
        assertTrue(took.compareTo(limit) < 0, "picked up on NOTIFY, not by the fallback poll: " + took);

        assertEquals("completed", column(validId, "status::text"));
        assertNull(column(validId, "last_error"));
        assertEquals(1, fixture.responseCount(valid.id()));

        assertEquals("failed", column(unknownId, "status::text"));
        assertTrue(column(unknownId, "last_error").contains("DecryptionNotRequested"), column(unknownId, "last_error"));

        assertEquals("failed", column(malformedId, "status::text"));
        assertTrue(column(malformedId, "last_error").startsWith("malformed row"), column(malformedId, "last_error"));

        String type = PublicDecryptionResponseSender.RESPONSE_TYPE;
        assertEquals(3.0, metrics.count(PublicDecryptionResponseSender.RECEIVED, "response_type", type));
        assertEquals(1.0, metrics.count(PublicDecryptionResponseSender.RECEIVED_ERRORS, "response_type", type));
        assertEquals(1.0, metrics.count(PublicDecryptionResponseSender.TX_SENT, "response_type", type));
        assertEquals(1.0, metrics.count(PublicDecryptionResponseSender.TX_ERRORS, "response_type", type));
    }

    private static void insert(byte[] id, DecryptionFixture.Response r) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO public_decryption_responses (decryption_id, decrypted_result, signature, extra_data,"
                        + " created_at, otlp_context) VALUES (?, ?, ?, ?, ?, '\\x0000000000000000')")) {
            ps.setBytes(1, id);
            ps.setBytes(2, r.decryptedResult());
            ps.setBytes(3, r.signature());
            ps.setBytes(4, r.extraData());
            ps.setTimestamp(5, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }

    private static void awaitTerminal(byte[] id, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            String status = column(id, "status::text");
            if ("completed".equals(status) || "failed".equals(status)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("row " + Numeric.toHexString(id) + " still " + column(id, "status::text")
                + " after " + limit);
    }

    private static String column(byte[] id, String expr) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + expr + " FROM public_decryption_responses WHERE decryption_id = ?")) {
            ps.setBytes(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
