package org.kmsconnector.listener;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.DevChain;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.devnet.GatewayDeployment;
import org.kmsconnector.runtime.ServiceRuntime;
import org.kmsconnector.testsupport.AnvilControl;
import org.kmsconnector.testsupport.ServiceEnv;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gateway_confirmation_depth: an event is stored only once its block is that deep. */
@UsesRealParts
class GwListenerDepthTest {

    @Test
    void anEventIsStoredOnlyOnceItsBlockIsDeepEnough() throws Exception {
        try (DevChain chain = new DevChain(TestInfra.anvil().url(), TestInfra.CHAIN_ID, DevAccounts.DEPLOYER);
                AnvilControl anvil = new AnvilControl(TestInfra.anvil().url());
                DevDatabase db = TestInfra.database("gw_listener_depth")) {
            GatewayDeployment gateway = GatewayDeployment.deploy(chain, DevAccounts.TX_SENDER.getAddress(),
                    DevAccounts.KMS_SIGNER.getAddress(), DevAccounts.COPROCESSOR_SIGNER.getAddress(), "http://x/b");
            long from = chain.blockNumber() + 1;
            try (ServiceRuntime listener = ServiceRuntime.assemble(ServiceEnv.of(ServiceKind.GW_LISTENER, db,
                    TestInfra.anvil(), gateway.decryption())
                    .set("decryption_polling", "100ms")
                    .set("gateway_confirmation_depth", "3")
                    .set("decryption_from_block_number", Long.toString(from)).load())) {
                listener.startInBackground(Duration.ofSeconds(30));
                byte[] handle = new byte[32];
                handle[5] = 42;
                long block = chain.send(gateway.decryption(), new Function("publicDecryptionRequest",
                        List.of(new DynamicArray<>(Bytes32.class, new Bytes32(handle)), new DynamicBytes(new byte[0])),
                        List.of())).getBlockNumber().longValueExact();

                Thread.sleep(1000);
                assertEquals(0, count(db, "SELECT count(*) FROM public_decryption_requests"), "only 0 blocks deep");
                assertTrue(count(db, "SELECT coalesce(block_number, 0) FROM last_block_polled_by_chain"
                        + " WHERE chain_name = 'gateway'") <= anvil.blockNumber() - 3);
                anvil.mine();
                anvil.mine();
                Thread.sleep(1000);
                assertEquals(0, count(db, "SELECT count(*) FROM public_decryption_requests"), "only 2 blocks deep");
                anvil.mine();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (count(db, "SELECT count(*) FROM public_decryption_requests") == 0
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(1, count(db, "SELECT count(*) FROM public_decryption_requests"), "3 blocks deep");
                assertEquals(block, count(db, "SELECT block_number FROM last_block_polled_by_chain"
                        + " WHERE chain_name = 'gateway'"), "the checkpoint stays 3 blocks behind the head");
            }
        }
    }

    private static long count(DevDatabase db, String sql) throws Exception {
        try (Connection c = db.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
