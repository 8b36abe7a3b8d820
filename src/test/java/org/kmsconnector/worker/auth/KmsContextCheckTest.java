package org.kmsconnector.worker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kmsconnector.testsupport.ContextCacheRows.DEFAULT_EPOCH_ID;
import static org.kmsconnector.worker.auth.LegacyUserDecryptionTest.assertRefusal;

import com.zaxxer.hikari.HikariDataSource;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.DatabaseUrl;
import org.kmsconnector.config.HostChainConfig;
import org.kmsconnector.db.DataSources;
import org.kmsconnector.db.KmsContextCache;
import org.kmsconnector.db.Migrations;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.testsupport.ContextCacheRows;
import org.kmsconnector.testsupport.ContextCacheRows.EpochRow;
import org.kmsconnector.testsupport.ProtocolConfigChain;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.postgresql.ds.PGSimpleDataSource;
import org.web3j.protocol.Web3j;

/**
 * The context check on a real, migrated database seeded as the upstream fixtures seed it
 * (context 1 and DEFAULT_EPOCH_ID valid) and a ProtocolConfigMock on anvil read at the
 * finalized block; the mirror of upstream context.rs. "No RPC" is checked on the requests the
 * client actually sent.
 */
@UsesRealParts
class KmsContextCheckTest {
    private static final BigInteger ONE = BigInteger.ONE;

    private DevDatabase db;
    private HikariDataSource dataSource;
    private ContextCacheRows rows;
    private ProtocolConfigChain chain;
    private ContextCheck check;

    @BeforeEach
    void start() throws Exception {
        db = TestInfra.database("context");
        DatabaseUrl url = db.connection();
        dataSource = DataSources.pooled(url.jdbcUrl(), url.user(), url.password(), 2, "context-test");
        Migrations.migrate(dataSource);
        rows = new ContextCacheRows(dataSource).seedDefault();
        chain = ProtocolConfigChain.deploy();
        check = WorkerChecks.context(config(chain.address()), dataSource, chain.client());
    }

    @AfterEach
    void stop() throws Exception {
        chain.close();
        dataSource.close();
        db.close();
    }

    @Test
    void cachedValidPairPassesFromTheDatabase() {
        assertEquals(Optional.empty(), check.check(v2(1, DEFAULT_EPOCH_ID)));
        assertEquals(0, chain.ethCalls());
    }

    /** Final on chain, not polled by the gw-listener yet: refused already, though the cache still says valid. */
    @Test
    void aDestructionFinalButNotYetStoredByTheListenerIsRefused() throws Exception {
        try (var c = dataSource.getConnection(); var st = c.prepareStatement(
                "UPDATE last_block_polled_by_chain SET block_number = ? WHERE chain_name = 'ethereum'")) {
            st.setLong(1, chain.blockNumber());
            st.executeUpdate();
        }
        chain.destroyContext(1);
        chain.finalizeState();

        assertRefusal(check.check(v2(1, DEFAULT_EPOCH_ID)).orElseThrow(), false, "kms_context",
                "KMS context 1 was destroyed");
        assertEquals(Optional.of(true), rows.context(ONE), "the cache is the listener's to write");
        assertEquals(0, chain.ethCalls(), "one log scan, no view call");
    }

    @Test
    void extraDataWithoutContextPassesUnchecked() {
        assertEquals(Optional.empty(), check.check(new byte[0]));
        assertEquals(Optional.empty(), check.check(new byte[] {0}));
        assertEquals(Optional.empty(), check.check(Hex.decode("00ffff")));
        assertEquals(0, chain.ethCalls());
    }

    @Test
    void unparsableExtraDataFails() {
        assertRefusal(check.check(Hex.decode("03" + "00".repeat(64))).orElseThrow(), false, "kms_context",
                "Unsupported extra_data version 3");
        assertRefusal(check.check(Hex.decode("02" + "00".repeat(40))).orElseThrow(), false, "kms_context",
                "needs at least 65 bytes");
    }

    @Test
    void destroyedContextRejectsAnyEpoch() throws Exception {
        rows.context(ONE, false);
        chain.setCurrent(ONE, DEFAULT_EPOCH_ID); // the chain would say yes: only the cache may answer
        chain.finalizeState();

        for (byte[] extra : List.of(v2(1, DEFAULT_EPOCH_ID), v2(1, BigInteger.valueOf(99)), v1(1))) {
            assertRefusal(check.check(extra).orElseThrow(), false, "kms_context", "context 1 was destroyed");
        }
        assertEquals(0, chain.ethCalls());
    }

    @Test
    void destroyedEpochLeavesItsSiblingsValid() throws Exception {
        rows.epoch(BigInteger.valueOf(42), Optional.empty(), false);

        assertRefusal(check.check(v2(1, BigInteger.valueOf(42))).orElseThrow(), false, "kms_context",
                "epoch 42 was destroyed");
        assertEquals(Optional.empty(), check.check(v2(1, DEFAULT_EPOCH_ID)));
        assertEquals(0, chain.ethCalls());
    }

    @Test
    void epochCachedUnderAnotherContextFallsBackOnChain() throws Exception {
        rows.context(BigInteger.valueOf(34), true);
        chain.setContextValid(34, true); // but DEFAULT_EPOCH_ID is not an epoch of 34
        chain.finalizeState();

        assertRefusal(check.check(v2(34, DEFAULT_EPOCH_ID)).orElseThrow(), true, "kms_context",
                "is not valid for context 34");
        assertEquals(Optional.of(new EpochRow(true, Optional.of(ONE))), rows.epoch(DEFAULT_EPOCH_ID));
        assertEquals(1, chain.callsTo("cceac019"));
    }

    @Test
    void staleEpochAssociationSelfHeals() throws Exception {
        BigInteger ctx34 = BigInteger.valueOf(34);
        rows.context(ctx34, true);
        chain.setCurrent(ctx34, DEFAULT_EPOCH_ID);
        chain.finalizeState();

        assertEquals(Optional.empty(), check.check(v2(34, DEFAULT_EPOCH_ID)));
        assertEquals(Optional.of(new EpochRow(true, Optional.of(ctx34))), rows.epoch(DEFAULT_EPOCH_ID));
        long calls = chain.ethCalls();
        assertEquals(Optional.empty(), check.check(v2(34, DEFAULT_EPOCH_ID)));
        assertEquals(calls, chain.ethCalls(), "the repaired row answers alone");
    }

    @Test
    void v1ExtraDataValidatesTheContextOnly() {
        assertEquals(Optional.empty(), check.check(v1(1)));
        assertEquals(0, chain.ethCalls());
    }

    @Test
    void v1UnknownContextFallsBackWithoutCaching() throws Exception {
        chain.setContextValid(33, true);
        chain.finalizeState();

        assertEquals(Optional.empty(), check.check(v1(33)));
        assertEquals(1, chain.callsTo("bf9b16c8"));
        assertEquals(Optional.empty(), rows.context(BigInteger.valueOf(33)));
    }

    @Test
    void fallbackCachesTheValidPair() throws Exception {
        BigInteger ctx33 = BigInteger.valueOf(33);
        BigInteger epoch5 = BigInteger.valueOf(5);
        chain.setCurrent(ctx33, epoch5);
        chain.finalizeState();

        assertEquals(Optional.empty(), check.check(v2(33, epoch5)));
        assertEquals(Optional.of(true), rows.context(ctx33));
        assertEquals(Optional.of(new EpochRow(true, Optional.of(ctx33))), rows.epoch(epoch5));
        long calls = chain.ethCalls();
        assertEquals(2, calls);
        assertEquals(Optional.empty(), check.check(v2(33, epoch5)));
        assertEquals(calls, chain.ethCalls(), "the second check is answered by the cache");
    }

    @Test
    void pendingEpochIsRecoverableAndNotCached() throws Exception {
        chain.setContextValid(33, true);
        chain.finalizeState();

        assertRefusal(check.check(v2(33, BigInteger.valueOf(5))).orElseThrow(), true, "kms_context",
                "epoch 5 is not valid for context 33");
        assertEquals(Optional.empty(), rows.context(BigInteger.valueOf(33)));
        assertEquals(Optional.empty(), rows.epoch(BigInteger.valueOf(5)));
    }

    @Test
    void contextUnknownOnChainIsRecoverableAndNotCached() throws Exception {
        assertRefusal(check.check(v2(69, DEFAULT_EPOCH_ID)).orElseThrow(), true, "kms_context",
                "context 69 is not valid");
        assertEquals(Optional.empty(), rows.context(BigInteger.valueOf(69)));
        assertEquals(0, chain.callsTo("cceac019"));
    }

    @Test
    void onlyTheFinalizedStateCounts() throws Exception {
        chain.setCurrent(BigInteger.valueOf(33), BigInteger.valueOf(5)); // mined, not finalized yet

        assertRefusal(check.check(v2(33, BigInteger.valueOf(5))).orElseThrow(), true, "kms_context",
                "context 33 is not valid");
        chain.finalizeState();
        assertEquals(Optional.empty(), check.check(v2(33, BigInteger.valueOf(5))));
    }

    @Test
    void rpcFailureIsRecoverableAsNetwork() throws Exception {
        Web3j down = Web3jClients.create("http://127.0.0.1:9", Duration.ofSeconds(2));
        try {
            ContextCheck cut = WorkerChecks.context(config(chain.address()), dataSource, down);
            assertRefusal(cut.check(v2(33, BigInteger.valueOf(5))).orElseThrow(), true, "network",
                    "isValidKmsContext on ProtocolConfig " + chain.address());
            assertEquals(Optional.empty(), rows.context(BigInteger.valueOf(33)));
        } finally {
            down.shutdown();
        }
    }

    @Test
    void databaseFailureIsRecoverableAsNetwork() throws Exception {
        PGSimpleDataSource missing = new PGSimpleDataSource();
        missing.setURL("jdbc:postgresql://127.0.0.1:5432/kmsc_no_such_database");
        missing.setUser("postgres");
        ContextCheck cut = WorkerChecks.context(config(chain.address()), missing, chain.client());

        assertRefusal(cut.check(v2(1, DEFAULT_EPOCH_ID)).orElseThrow(), true, "network", "cache lookup failed");
        assertEquals(0, chain.ethCalls());
    }

    /** A destruction that lands between the lookup and the caching write must survive it. */
    @Test
    void cachingAPairNeverRevivesADestroyedEpoch() throws Exception {
        BigInteger epoch7 = BigInteger.valueOf(7);
        rows.epoch(epoch7, Optional.empty(), false);

        new KmsContextCache(dataSource).cacheValidPair(BigInteger.valueOf(33), epoch7);

        assertEquals(Optional.of(new EpochRow(false, Optional.of(BigInteger.valueOf(33)))), rows.epoch(epoch7));
        assertEquals(Optional.of(true), rows.context(BigInteger.valueOf(33)));
    }

    static byte[] v1(long context) {
        return Hex.decode("01" + Hex.encode(Uint256.toBigEndian(BigInteger.valueOf(context))));
    }

    static byte[] v2(long context, BigInteger epoch) {
        return Hex.decode("02" + Hex.encode(Uint256.toBigEndian(BigInteger.valueOf(context)))
                + Hex.encode(Uint256.toBigEndian(epoch)));
    }

    private static ConnectorConfig config(String protocolConfig) throws Exception {
        return AuthFixture.config(TestInfra.anvil(), "0x00000000000000000000000000000000000000dd",
                List.of(new HostChainConfig("http://127.0.0.1:9", 1, "0x00000000000000000000000000000000000000ac")),
                Map.of("protocol_config_contract__address", protocolConfig));
    }
}
