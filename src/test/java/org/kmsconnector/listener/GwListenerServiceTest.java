package org.kmsconnector.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.cli.ServiceRuntime;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.DevChain;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.devnet.GatewayDeployment;
import org.kmsconnector.testsupport.ServiceEnv;
import org.kmsconnector.testsupport.TestInfra;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;

/** The gw-listener service (its YAML route and beans) against anvil and PostgreSQL. */
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
            assertEquals(3.0, listener.metrics().count("kms_connector_gw_listener_event_received_counter",
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
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long rows = 0;
        while (System.nanoTime() < deadline) {
            rows = count("SELECT count(*) FROM public_decryption_requests");
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
