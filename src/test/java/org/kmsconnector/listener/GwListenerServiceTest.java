package org.kmsconnector.listener;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.DevChain;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.devnet.GatewayDeployment;
import org.kmsconnector.devnet.UserDecryptionCalls;
import org.kmsconnector.monitoring.Metrics;
import org.kmsconnector.runtime.ServiceRuntime;
import org.kmsconnector.testsupport.ServiceEnv;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gw-listener service (its YAML route and beans) against anvil and PostgreSQL: both request tables. */
@UsesRealParts
class GwListenerServiceTest {
    private static DevChain chain;
    private static GatewayDeployment gateway;
    private static DevDatabase db;

    @BeforeAll
    static void setUp() throws Exception {
        chain = new DevChain(TestInfra.anvil().url(), TestInfra.CHAIN_ID, DevAccounts.DEPLOYER);
        gateway = GatewayDeployment.deploy(chain, DevAccounts.TX_SENDER.getAddress(), DevAccounts.KMS_SIGNER.getAddress(),
                DevAccounts.COPROCESSOR_SIGNER.getAddress(), "http://127.0.0.1:1/unused");
        db = TestInfra.database("gw_listener_service");
    }

    @AfterAll
    static void tearDown() throws Exception {
        db.close();
        chain.close();
    }

    @Test
    void storesEveryRequestAndCatchesUpAfterARestart() throws Exception {
        long from = chain.blockNumber() + 1;
        request(3);
        ServiceEnv env = ServiceEnv.of(ServiceKind.GW_LISTENER, db, TestInfra.anvil(), gateway.decryption())
                .set("decryption_polling", "100ms")
                .set("get_logs_batch_size", "2");
        try (ServiceRuntime listener = ServiceRuntime.assemble(
                env.set("decryption_from_block_number", Long.toString(from)).load())) {
            listener.startInBackground(Duration.ofSeconds(30));
            awaitRows(3, listener);
            assertEquals(3.0, listener.metrics().count(Metrics.LISTENER_EVENTS,
                    "event_type", "public_decryption_request"));
        }
        // emitted while no listener runs: the next one resumes one block after the checkpoint
        request(2);
        try (ServiceRuntime listener = ServiceRuntime.assemble(
                ServiceEnv.of(ServiceKind.GW_LISTENER, db, TestInfra.anvil(), gateway.decryption())
                        .set("decryption_polling", "100ms").load())) {
            listener.startInBackground(Duration.ofSeconds(30));
            awaitRows(5, listener);
        }
        assertEquals(5, count("SELECT count(*) FROM public_decryption_requests WHERE status = 'pending'"));
        assertTrue(count("SELECT block_number FROM last_block_polled_by_chain WHERE chain_name = 'gateway'")
                >= chain.blockNumber() - 1);
    }

    @Test
    void storesLegacyRowsWithoutSignatureAndUnifiedRowsWithTheirRfc016Columns() throws Exception {
        UserDecryptionCalls.Domain domain = new UserDecryptionCalls.Domain("Decryption", "1", TestInfra.CHAIN_ID,
                gateway.decryption());
        String user = DevAccounts.USER.getAddress();
        byte[] h1 = UserDecryptionLogsTest.handle(5);
        byte[] h2 = UserDecryptionLogsTest.handle(2);
        byte[] extra = Hex.decode("01" + "05".repeat(32));
        long from = chain.blockNumber() + 1;
        TransactionReceipt legacy = chain.send(gateway.decryption(), UserDecryptionCalls.legacy(domain,
                DevAccounts.USER, List.of(h1), UserDecryptionLogsTest.CONTRACT, 1, 1, new byte[] {7}, new byte[] {0}));
        List<UserDecryptionCalls.Entry> entries = List.of(
                new UserDecryptionCalls.Entry(h1, UserDecryptionLogsTest.CONTRACT, user),
                new UserDecryptionCalls.Entry(h2, UserDecryptionLogsTest.OTHER_CONTRACT,
                        DevAccounts.DEPLOYER.getAddress()));
        TransactionReceipt unified = chain.send(gateway.decryption(), UserDecryptionCalls.unified(domain,
                DevAccounts.USER, entries, List.of(UserDecryptionLogsTest.OTHER_CONTRACT), 1_800_000_000L, 600,
                new byte[] {8, 9}, extra));
        // an empty signature still marks the row unified: stored as empty bytes, never NULL
        chain.send(gateway.decryption(), UserDecryptionCalls.unified(entries.subList(0, 1), user, List.of(),
                BigInteger.ONE, BigInteger.TWO, new byte[] {1}, new byte[0], new byte[0]));

        try (ServiceRuntime listener = ServiceRuntime.assemble(ServiceEnv.of(ServiceKind.GW_LISTENER, db,
                TestInfra.anvil(), gateway.decryption()).set("decryption_polling", "100ms")
                .set("decryption_from_block_number", Long.toString(from)).load())) {
            listener.startInBackground(Duration.ofSeconds(30));
            awaitRows("user_decryption_requests", 3);
            assertEquals(3.0, listener.metrics().count(Metrics.LISTENER_EVENTS,
                    "event_type", "user_decryption_request"));
        }
        try (Connection c = db.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT signature, tx_hash, ct_handles, user_address, public_key, extra_data, handle_owner_addresses,"
                        + " handle_contract_addresses, allowed_contracts, start_timestamp, duration_seconds, status"
                        + " FROM user_decryption_requests ORDER BY decryption_id")) {
            // little-endian ids: the three counters differ in their first byte only
            rs.next();
            assertNull(rs.getBytes("signature"), "legacy rows have no signature");
            assertArrayEquals(Hex.decode(legacy.getTransactionHash()), rs.getBytes("tx_hash"));
            assertArrayEquals(h1, bytesList(rs.getArray("ct_handles")).get(0));
            assertArrayEquals(Hex.decode(user), rs.getBytes("user_address"));
            assertArrayEquals(new byte[] {7}, rs.getBytes("public_key"));
            assertArrayEquals(new byte[] {0}, rs.getBytes("extra_data"));
            assertNull(rs.getArray("handle_owner_addresses"));
            assertNull(rs.getObject("start_timestamp"));
            assertEquals("pending", rs.getString("status"));

            rs.next();
            assertEquals(65, rs.getBytes("signature").length);
            assertArrayEquals(Hex.decode(unified.getTransactionHash()), rs.getBytes("tx_hash"));
            assertEquals(2, bytesList(rs.getArray("ct_handles")).size());
            assertArrayEquals(h2, bytesList(rs.getArray("ct_handles")).get(1));
            assertArrayEquals(Hex.decode(DevAccounts.DEPLOYER.getAddress()),
                    bytesList(rs.getArray("handle_owner_addresses")).get(1), "aligned with ct_handles");
            assertArrayEquals(Hex.decode(user), bytesList(rs.getArray("handle_owner_addresses")).get(0));
            assertArrayEquals(Hex.decode(UserDecryptionLogsTest.OTHER_CONTRACT),
                    bytesList(rs.getArray("handle_contract_addresses")).get(1));
            assertEquals(1, bytesList(rs.getArray("allowed_contracts")).size());
            assertEquals(1_800_000_000L, rs.getLong("start_timestamp"));
            assertEquals(600, rs.getLong("duration_seconds"));
            assertArrayEquals(extra, rs.getBytes("extra_data"), "the payload's extraData");
            assertArrayEquals(new byte[] {8, 9}, rs.getBytes("public_key"));

            rs.next();
            assertArrayEquals(new byte[0], rs.getBytes("signature"));
            assertEquals(0, bytesList(rs.getArray("allowed_contracts")).size(), "permissive mode is '{}'");
        }
    }

    private static List<byte[]> bytesList(java.sql.Array array) throws Exception {
        List<byte[]> out = new java.util.ArrayList<>();
        for (Object o : (Object[]) array.getArray()) {
            out.add((byte[]) o);
        }
        return out;
    }

    private static void request(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            byte[] handle = new byte[32];
            handle[0] = (byte) i;
            chain.send(gateway.decryption(), new Function("publicDecryptionRequest",
                    List.of(new DynamicArray<>(Bytes32.class, new Bytes32(handle)), new DynamicBytes(new byte[0])),
                    List.of()));
        }
    }

    private static void awaitRows(int expected, ServiceRuntime listener) throws Exception {
        awaitRows("public_decryption_requests", expected);
    }

    private static void awaitRows(String table, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long rows = 0;
        while (System.nanoTime() < deadline) {
            rows = count("SELECT count(*) FROM " + table);
            if (rows >= expected) {
                assertEquals(expected, rows, "each event stored once");
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("stored " + rows + " of " + expected + " events");
    }

    private static long count(String sql) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
