package org.kmsconnector.sender;

import com.google.protobuf.ByteString;
import com.zaxxer.hikari.HikariDataSource;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.config.ConfigLoader;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.db.Operations;
import org.kmsconnector.devnet.AnvilNode;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.kms.v1.TypedSigncryptedCiphertext;
import org.kmsconnector.kms.v1.UserDecryptionResponsePayload;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.kmsconnector.runtime.ServiceRuntime;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.kmsconnector.worker.kms.DecryptionResults;
import org.web3j.utils.Numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tx-sender's routes in a Camel Main assembled as the launcher does it, against a migrated
 * database and anvil: public and user response rows inserted as the kms-worker would are claimed
 * on NOTIFY (the fallback poll is a minute away) and end completed on chain, or failed with their
 * reason.
 */
@UsesRealParts
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

        String type = Operations.PUBLIC_DECRYPTION.responseType();
        assertEquals(3.0, metrics.count(Metrics.SENDER_RECEIVED, "response_type", type));
        assertEquals(1.0, metrics.count(Metrics.SENDER_RECEIVED_ERRORS, "response_type", type));
        assertEquals(1.0, metrics.count(Metrics.SENDER_TX_SENT, "response_type", type));
        assertEquals(1.0, metrics.count(Metrics.SENDER_TX_ERRORS, "response_type", type));
    }

    @Test
    void aUserResponseGoesOnChainWithTheShareByteForByteAndASecondAnswerIsRefused() throws Exception {
        DecryptionFixture.UserRequest request = fixture.userRequest(2, new byte[] {0x04, 0x05, 0x06});
        // a bincode share as the kms-worker stores it; the mock checks the KMS signature over these bytes
        byte[] share = DecryptionResults.bincodeUserPayload(UserDecryptionResponsePayload.newBuilder()
                .setVerificationKey(ByteString.copyFrom(new byte[] {2, 9, 9}))
                .setDigest(ByteString.copyFrom(new byte[32]))
                .addSigncryptedCiphertexts(TypedSigncryptedCiphertext.newBuilder().setFheType(5)
                        .setSigncryptedCiphertext(ByteString.copyFrom(new byte[] {7, 7, 7}))
                        .setExternalHandle(ByteString.copyFrom(request.handles().get(0))).setPackingFactor(1))
                .setPartyId(1).build());
        byte[] extra = {};
        byte[] id = Uint256.toLittleEndian(request.id());
        insertUser(id, share, fixture.kmsUserSignature(request, share, extra), extra);
        awaitTerminal("user_decryption_responses", id, FALLBACK.dividedBy(4));

        assertEquals("completed", column("user_decryption_responses", id, "status::text"));
        List<byte[]> onChain = fixture.userShares(request.id());
        assertEquals(1, onChain.size());
        assertArrayEquals(share, onChain.get(0), "the share on chain is the stored one, byte for byte");

        // the same KMS node answering again: the contract refuses it (KmsNodeAlreadySigned), the row fails
        byte[] otherShare = Arrays.copyOf(share, share.length + 1);
        byte[] secondId = Uint256.toLittleEndian(request.id());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM user_decryption_responses WHERE decryption_id = ?")) {
            ps.setBytes(1, secondId);
            ps.executeUpdate();
        }
        insertUser(secondId, otherShare, fixture.kmsUserSignature(request, otherShare, extra), extra);
        awaitTerminal("user_decryption_responses", secondId, FALLBACK.dividedBy(4));
        assertEquals("failed", column("user_decryption_responses", secondId, "status::text"));
        assertTrue(column("user_decryption_responses", secondId, "last_error").contains("KmsNodeAlreadySigned"),
                column("user_decryption_responses", secondId, "last_error"));
        assertEquals(1, fixture.userShares(request.id()).size(), "nothing sent twice");

        String type = Operations.USER_DECRYPTION.responseType();
        assertEquals(2.0, metrics.count(Metrics.SENDER_RECEIVED, "response_type", type));
        assertEquals(1.0, metrics.count(Metrics.SENDER_TX_SENT, "response_type", type));
        assertEquals(1.0, metrics.count(Metrics.SENDER_TX_ERRORS, "response_type", type));
    }

    private static void insertUser(byte[] id, byte[] share, byte[] signature, byte[] extra) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO user_decryption_responses (decryption_id, user_decrypted_shares, signature, extra_data,"
                        + " created_at, otlp_context) VALUES (?, ?, ?, ?, ?, '\\x0000000000000000')")) {
            ps.setBytes(1, id);
            ps.setBytes(2, share);
            ps.setBytes(3, signature);
            ps.setBytes(4, extra);
            ps.setTimestamp(5, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
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
        awaitTerminal("public_decryption_responses", id, limit);
    }

    private static void awaitTerminal(String table, byte[] id, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            String status = column(table, id, "status::text");
            if ("completed".equals(status) || "failed".equals(status)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("row " + Numeric.toHexString(id) + " still " + column(table, id, "status::text")
                + " after " + limit);
    }

    private static String column(byte[] id, String expr) throws Exception {
        return column("public_decryption_responses", id, expr);
    }

    private static String column(String table, byte[] id, String expr) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + expr + " FROM " + table + " WHERE decryption_id = ?")) {
            ps.setBytes(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
