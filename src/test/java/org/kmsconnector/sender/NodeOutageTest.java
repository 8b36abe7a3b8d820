package org.kmsconnector.sender;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.db.Operations;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.monitoring.Metrics;
import org.kmsconnector.runtime.ServiceRuntime;
import org.kmsconnector.testsupport.ServiceEnv;
import org.kmsconnector.testsupport.TcpProxy;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.web3j.utils.Numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Gateway node goes away (connections refused) while a response waits, then comes back on
 * the same address: the row is retried at the fallback poll, not in a tight loop, nothing is
 * lost, and exactly one transaction lands once the node is back.
 */
@UsesRealParts
class NodeOutageTest {

    @Test
    void aResponseWaitingForAVanishedNodeIsSentOnceItReturns() throws Exception {
        try (DecryptionFixture fixture = DecryptionFixture.deploy(TestInfra.anvil());
                TcpProxy node = new TcpProxy(TestInfra.anvil().port());
                DevDatabase db = TestInfra.database("node_outage")) {
            ServiceEnv env = ServiceEnv.of(ServiceKind.TX_SENDER, db, TestInfra.anvil(), fixture.decryption())
                    .set("gateway_url", node.url())
                    .set("private_key", Numeric.toHexStringWithPrefixZeroPadded(
                            DevAccounts.TX_SENDER.getEcKeyPair().getPrivateKey(), 64))
                    .set("database_polling_timeout", "1s")
                    .set("rpc_call_timeout", "2s");
            DecryptionFixture.Response response = fixture.answer(fixture.request(1));
            byte[] id = Uint256.toLittleEndian(response.id());
            node.down();
            try (ServiceRuntime sender = ServiceRuntime.assemble(env.load())) {
                sender.startInBackground(Duration.ofSeconds(30));
                insert(sender, id, response);

                Thread.sleep(4000);
                assertEquals("pending", column(sender, id, "status::text"));
                assertTrue(column(sender, id, "last_error").contains("node unreachable"),
                        column(sender, id, "last_error"));
                double tries = sender.metrics().count(Metrics.SENDER_RECEIVED, "response_type",
                        Operations.PUBLIC_DECRYPTION.responseType());
                assertTrue(tries >= 2 && tries <= 5, "retried at the 1 s fallback poll, not in a loop: " + tries);
                assertEquals(0, fixture.responseCount(response.id()));

                node.up();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!"completed".equals(column(sender, id, "status::text")) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals("completed", column(sender, id, "status::text"));
                assertEquals(1, fixture.responseCount(response.id()));
            }
        }
    }

    private static void insert(ServiceRuntime sender, byte[] id, DecryptionFixture.Response r) throws Exception {
        try (Connection c = sender.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
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

    private static String column(ServiceRuntime sender, byte[] id, String expr) throws Exception {
        try (Connection c = sender.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + expr + " FROM public_decryption_responses WHERE decryption_id = ?")) {
            ps.setBytes(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
