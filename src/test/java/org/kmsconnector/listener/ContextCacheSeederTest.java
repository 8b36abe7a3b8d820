package org.kmsconnector.listener;

import com.zaxxer.hikari.HikariDataSource;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.DatabaseUrl;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.db.DataSources;
import org.kmsconnector.db.Migrations;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.testsupport.ContextCacheRows.EpochRow;
import org.kmsconnector.testsupport.ContextCacheRows;
import org.kmsconnector.testsupport.ProtocolConfigChain;
import org.kmsconnector.testsupport.ServiceEnv;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gw-listener's start-up pass over the context cache, on a real database and a ProtocolConfigMock on anvil. */
@UsesRealParts
class ContextCacheSeederTest {
    private static final String IS_VALID_EPOCH_FOR_CONTEXT = "cceac019";

    private DevDatabase db;
    private HikariDataSource dataSource;
    private ContextCacheRows rows;
    private ProtocolConfigChain chain;

    @BeforeEach
    void start() throws Exception {
        db = TestInfra.database("seeder");
        DatabaseUrl url = db.connection();
        dataSource = DataSources.pooled(url.jdbcUrl(), url.user(), url.password(), 2, "seeder-test");
        Migrations.migrate(dataSource);
        rows = new ContextCacheRows(dataSource);
        chain = ProtocolConfigChain.deploy();
    }

    @AfterEach
    void stop() throws Exception {
        chain.close();
        dataSource.close();
        db.close();
    }

    @Test
    void protocolConfigSelectorsAreTheRealOnes() {
        Uint256 n = new Uint256(BigInteger.ONE);
        assertEquals("0x65b394af", selector("getCurrentKmsContextAndEpoch"));
        assertEquals("0xbf9b16c8", selector("isValidKmsContext", n));
        assertEquals("0xcceac019", selector("isValidEpochForContext", n, n));
    }

    @Test
    void storesTheActivePairAsValid() throws Exception {
        chain.setCurrent(79, 3);
        chain.finalizeState();

        seeder(chain.client()).run();

        assertEquals(Optional.of(true), rows.context(big(79)));
        assertEquals(Optional.of(new EpochRow(true, Optional.of(big(79)))), rows.epoch(big(3)));
    }

    @Test
    void destroyedContextInvalidatesItsEpochsWithoutAskingAboutThem() throws Exception {
        cache(1, 10);
        cache(2, 20);
        chain.setCurrent(1, 10);
        chain.setCurrent(2, 20);
        chain.destroyContext(1);
        chain.finalizeState();

        seeder(chain.client()).run();

        assertEquals(Optional.of(false), rows.context(big(1)));
        assertEquals(Optional.of(new EpochRow(false, Optional.of(big(1)))), rows.epoch(big(10)));
        assertEquals(Optional.of(true), rows.context(big(2)));
        assertEquals(Optional.of(new EpochRow(true, Optional.of(big(2)))), rows.epoch(big(20)));
        assertEquals(1, chain.callsTo(IS_VALID_EPOCH_FOR_CONTEXT), "only epoch 20 was asked about");
    }

    @Test
    void destroyedEpochIsTheOnlyOneInvalidated() throws Exception {
        cache(2, 20);
        rows.epoch(big(21), Optional.of(big(2)), true);
        chain.setCurrent(2, 20); // epoch 21 is not (any more) an epoch of context 2
        chain.finalizeState();

        seeder(chain.client()).run();

        assertEquals(Optional.of(true), rows.context(big(2)));
        assertEquals(Optional.of(new EpochRow(true, Optional.of(big(2)))), rows.epoch(big(20)));
        assertEquals(Optional.of(new EpochRow(false, Optional.of(big(2)))), rows.epoch(big(21)));
    }

    @Test
    void validEpochWithoutContextIsDeletedWithoutRpc() throws Exception {
        rows.epoch(big(30), Optional.empty(), true);
        rows.epoch(big(31), Optional.empty(), false); // a destruction record: kept
        chain.setCurrent(2, 20);
        chain.finalizeState();

        seeder(chain.client()).run();

        assertEquals(Optional.empty(), rows.epoch(big(30)));
        assertEquals(Optional.of(new EpochRow(false, Optional.empty())), rows.epoch(big(31)));
        assertEquals(1, chain.callsTo(IS_VALID_EPOCH_FOR_CONTEXT), "only the seeded epoch 20 was asked about");
    }

    @Test
    void aDestroyedRowIsNotRevivedBySeeding() throws Exception {
        rows.context(big(79), false);
        chain.setCurrent(79, 3);
        chain.finalizeState();

        seeder(chain.client()).run();

        assertEquals(Optional.of(false), rows.context(big(79)));
    }

    @Test
    void unreachableEthereumStopsTheStart() throws Exception {
        Web3j down = Web3jClients.create("http://127.0.0.1:9", Duration.ofSeconds(2));
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> seeder(down).run());
            assertTrue(e.getMessage().contains("getCurrentKmsContextAndEpoch"), e.getMessage());
            assertEquals(0, rows.count("kms_context"));
            assertEquals(0, rows.count("kms_epoch"));
        } finally {
            down.shutdown();
        }
    }

    @Test
    void revalidationFailureStopsTheStart() throws Exception {
        cache(5, 50);
        ContextCacheSeeder noContract = ContextCacheSeeder.create(config("0x00000000000000000000000000000000000000ef"),
                dataSource, chain.client());

        IllegalStateException e = assertThrows(IllegalStateException.class, noContract::run);
        assertTrue(e.getMessage().contains("empty answer"), e.getMessage());
        assertEquals(Optional.of(true), rows.context(big(5)), "nothing is invalidated on a failed read");
    }

    private ContextCacheSeeder seeder(Web3j ethereum) throws Exception {
        return ContextCacheSeeder.create(config(chain.address()), dataSource, ethereum);
    }

    private ConnectorConfig config(String protocolConfig) throws Exception {
        return ServiceEnv.of(ServiceKind.GW_LISTENER, db, TestInfra.anvil(), "0x00000000000000000000000000000000000000dd")
                .set("protocol_config_contract__address", protocolConfig).load();
    }

    private void cache(long context, long epoch) throws Exception {
        rows.context(big(context), true);
        rows.epoch(big(epoch), Optional.of(big(context)), true);
    }

    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    private static String selector(String name, org.web3j.abi.datatypes.Type<?>... args) {
        return FunctionEncoder.encode(new Function(name, List.of(args), List.of())).substring(0, 10);
    }
}
