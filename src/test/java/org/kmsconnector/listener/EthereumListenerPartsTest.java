package org.kmsconnector.listener;

import com.zaxxer.hikari.HikariDataSource;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.KmsContextHistory;
import org.kmsconnector.chain.KmsContextPayload;
import org.kmsconnector.chain.ProtocolConfigViews;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.db.DataSources;
import org.kmsconnector.db.KmsContextCache;
import org.kmsconnector.db.Migrations;
import org.kmsconnector.db.OperationTable;
import org.kmsconnector.db.Operations;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.DevChain;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.devnet.EthereumDeployment;
import org.kmsconnector.devnet.KeyManagementCalls;
import org.kmsconnector.devnet.ProtocolConfigCalls;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.Log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Ethereum loop's pieces on logs the KMSGeneration and ProtocolConfig mocks emitted on anvil
 * and a real DB: K1-K5 and P1-P4 as the spec maps them (the genesis context not stored, the
 * destructions invalidating the cache), only up to the finalized block, a malformed log and a
 * stranger's log skipped without losing the others; a context's definition read back through
 * its anchor.
 */
@UsesRealParts
class EthereumListenerPartsTest {
    private static DevChain chain;
    private static EthereumDeployment ethereum;
    private static KeyManagementCalls kms;
    private static Web3j web3j;
    private static DevDatabase db;
    private static HikariDataSource dataSource;

    @BeforeAll
    static void setUp() throws Exception {
        chain = new DevChain(TestInfra.anvil().url(), TestInfra.CHAIN_ID, DevAccounts.DEPLOYER);
        ethereum = EthereumDeployment.deploy(chain);
        kms = new KeyManagementCalls(chain, ethereum.kmsGeneration());
        web3j = Web3jClients.create(TestInfra.anvil().url(), Duration.ofSeconds(10));
        db = TestInfra.database("ethereum_parts");
        dataSource = DataSources.pooled(db.connection().jdbcUrl(), db.connection().user(), db.connection().password(),
                2, "test");
        Migrations.migrate(dataSource);
    }

    @AfterAll
    static void tearDown() throws Exception {
        dataSource.close();
        db.close();
        web3j.shutdown();
        chain.close();
    }

    private static LogFetcher fetcher() {
        return new LogFetcher(web3j, List.of(ethereum.kmsGeneration(), ethereum.protocolConfig()),
                EthereumEventTopics.SUBSCRIBED, LogFetcher.Head.FINALIZED);
    }

    @Test
    void theFiveKmsGenerationEventsAreStoredAsTheSpecMapsThem() throws Exception {
        long from = chain.blockNumber() + 1;
        BigInteger prep = kms.requestKeygen(1);
        BigInteger crs = kms.requestCrsgen(4096, 0);
        kms.abortKeygen(prep);
        kms.abortCrsgen(crs);
        LogFetcher fetcher = fetcher();
        long last = chain.blockNumber();
        assertTrue(fetcher.head() < last, "the newest blocks are not final yet");
        chain.mine(EthereumDeployment.FINALITY_DEPTH);
        assertEquals(last, fetcher.head());

        ConnectorMetrics metrics = ConnectorMetrics.inMemory();
        BlockRange range = new BlockRange(from, last, false);
        List<ChainEvent> events = new EthereumLogDecoder(ethereum.kmsGeneration(), ethereum.protocolConfig(), metrics)
                .decode(fetcher.fetch(range));
        assertEquals(4, events.size());
        EventStore store = new EventStore(dataSource, "ethereum");
        assertEquals(4, store.store(events, range));
        assertEquals(0, store.store(events, range), "a second listener stores nothing twice");
        assertEquals(OptionalLong.of(last), store.lastPolled());

        OperationTable prepTable = Operations.PREP_KEYGEN.requests();
        assertEquals("Test", column(prepTable, prep, "params_type::text"));
        assertEquals(65, bytes(prepTable, prep, "extra_data").length, "v2 extraData pinning context and epoch");
        assertEquals(2, bytes(prepTable, prep, "extra_data")[0]);
        OperationTable crsTable = Operations.CRSGEN.requests();
        assertEquals("Default", column(crsTable, crs, "params_type::text"));
        assertArrayEquals(Uint256.toLittleEndian(BigInteger.valueOf(4096)), bytes(crsTable, crs, "max_bit_length"));
        assertEquals("pending", column(Operations.ABORT_KEYGEN.requests(), prep, "status::text"));
        assertEquals("pending", column(Operations.ABORT_CRSGEN.requests(), crs, "status::text"));
        assertEquals(1.0, metrics.count(Metrics.LISTENER_EVENTS, "event_type", Operations.PREP_KEYGEN.eventType()));
        assertEquals(1.0, metrics.count(Metrics.LISTENER_EVENTS, "event_type", Operations.ABORT_CRSGEN.eventType()));
    }

    @Test
    void theProtocolConfigEventsAreStoredTheGenesisContextIsNotAndDestructionsInvalidateTheCache() throws Exception {
        ProtocolConfigCalls protocol = new ProtocolConfigCalls(chain, ethereum.protocolConfig());
        KmsContextPayload next = ProtocolConfigCalls.oneNodeContext("v0.16.0");
        BigInteger context = protocol.defineNewContext(next);
        BigInteger epoch = protocol.defineNewEpochForCurrentContext();
        long epochBlock = chain.blockNumber();
        BigInteger neverCached = BigInteger.valueOf(7).shiftLeft(248).add(BigInteger.valueOf(99));
        protocol.destroyContext(neverCached);
        protocol.destroyEpoch(epoch);
        long last = chain.blockNumber();
        chain.mine(EthereumDeployment.FINALITY_DEPTH);

        ConnectorMetrics metrics = ConnectorMetrics.inMemory();
        BlockRange range = new BlockRange(0, last, false); // from the deployment on: the genesis context too
        List<ChainEvent> events = new EthereumLogDecoder(ethereum.kmsGeneration(), ethereum.protocolConfig(), metrics)
                .decode(fetcher().fetch(range)).stream()
                .filter(e -> e.kind() != Operations.PREP_KEYGEN && e.kind() != Operations.CRSGEN
                        && e.kind() != Operations.ABORT_KEYGEN && e.kind() != Operations.ABORT_CRSGEN)
                .toList();
        assertEquals(List.of(Operations.NEW_KMS_CONTEXT, Operations.NEW_KMS_EPOCH, Operations.KMS_CONTEXT_DESTROYED,
                Operations.KMS_EPOCH_DESTROYED), events.stream().map(ChainEvent::kind).toList());
        assertEquals(2.0, metrics.count(Metrics.LISTENER_EVENTS, "event_type", Operations.NEW_KMS_CONTEXT.eventType()),
                "the genesis context is counted, not stored");
        EventStore store = new EventStore(dataSource, "ethereum");
        assertEquals(4, store.store(events, range));
        assertEquals(0, store.store(events, range), "a second listener stores nothing twice");

        OperationTable contexts = Operations.NEW_KMS_CONTEXT.requests();
        assertArrayEquals(Uint256.toLittleEndian(ethereum.contextId()), bytes(contexts, context, "previous_context_id"));
        assertEquals("v0.16.0", column(contexts, context, "software_version"));
        assertEquals(4 * 32, bytes(contexts, context, "thresholds").length, "a static tuple: four words");
        KmsContextPayload stored = KmsContextPayload.fromColumns(bytes(contexts, context, "kms_node_params"),
                bytes(contexts, context, "thresholds"), column(contexts, context, "software_version"),
                bytes(contexts, context, "pcr_values"));
        assertArrayEquals(next.nodesAbi(), stored.nodesAbi());
        assertArrayEquals(next.pcrsAbi(), stored.pcrsAbi());
        assertEquals(next.thresholds(), stored.thresholds());
        assertArrayEquals(Hex.decode(DevAccounts.TX_SENDER.getAddress()), stored.nodes().get(0).txSenderAddress());

        OperationTable epochs = Operations.NEW_KMS_EPOCH.requests();
        assertArrayEquals(Uint256.toLittleEndian(ethereum.contextId()), bytes(epochs, epoch, "context_id"));
        assertArrayEquals(Uint256.toLittleEndian(ethereum.contextId()), bytes(epochs, epoch, "previous_context_id"),
                "same-set resharing");
        assertArrayEquals(Uint256.toLittleEndian(ethereum.epochId()), bytes(epochs, epoch, "previous_epoch_id"));
        assertArrayEquals(Uint256.toLittleEndian(BigInteger.valueOf(epochBlock - 1)),
                bytes(epochs, epoch, "material_block_number"));

        KmsContextCache cache = new KmsContextCache(dataSource);
        KmsContextCache.Lookup destroyed = cache.lookup(neverCached, java.util.Optional.empty());
        assertTrue(destroyed.contextCached() && !destroyed.contextValid(), "an id never cached is recorded invalid");
        assertTrue(cache.validEpochs().stream().noneMatch(e -> e.id().equals(epoch)));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT is_valid, context_id IS NULL FROM kms_epoch WHERE id = ?")) {
            ps.setBytes(1, Uint256.toLittleEndian(epoch));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(false, rs.getBoolean(1));
                assertEquals(true, rs.getBoolean(2), "written from the event, which names no context");
            }
        }
    }

    @Test
    void aContextsDefinitionIsReadBackThroughItsAnchorAndATamperedAnchorIsAMismatch() throws Exception {
        ProtocolConfigViews views = new ProtocolConfigViews(web3j, ethereum.protocolConfig());
        KmsContextHistory history = new KmsContextHistory(web3j, views);
        KmsContextPayload genesis = history.definition(ethereum.contextId());
        KmsContextPayload expected = ProtocolConfigCalls.oneNodeContext(EthereumDeployment.GENESIS_SOFTWARE_VERSION);
        assertArrayEquals(expected.nodesAbi(), genesis.nodesAbi());
        assertEquals(expected.softwareVersion(), genesis.softwareVersion());

        BigInteger unknown = BigInteger.valueOf(7).shiftLeft(248).add(BigInteger.valueOf(1234));
        KmsContextHistory.Mismatch none = assertThrows(KmsContextHistory.Mismatch.class,
                () -> history.definition(unknown));
        assertTrue(none.getMessage().contains("no anchor"), none.getMessage());

        new ProtocolConfigCalls(chain, ethereum.protocolConfig()).tamperAnchor(ethereum.contextId());
        KmsContextHistory.Mismatch mismatch = assertThrows(KmsContextHistory.Mismatch.class,
                () -> history.definition(ethereum.contextId()));
        assertTrue(mismatch.getMessage().contains("does not match its anchor"), mismatch.getMessage());
    }

    @Test
    void anUnknownParamsTypeAndAStrangersLogAreSkippedAndTheRestStored() throws Exception {
        long from = chain.blockNumber() + 1;
        kms.requestKeygen(0);
        BigInteger good = kms.requestKeygen(0);
        chain.mine(EthereumDeployment.FINALITY_DEPTH);
        List<Log> logs = new ArrayList<>(fetcher().fetch(new BlockRange(from, chain.blockNumber(), false)));
        assertEquals(2, logs.size());
        // paramsType 7: no such ParamsType; and the same event from an address that is no contract of ours
        String data = logs.get(0).getData();
        logs.get(0).setData(data.substring(0, 2 + 64) + "00".repeat(31) + "07" + data.substring(2 + 128));
        Log stranger = copy(logs.get(1));
        stranger.setAddress("0x" + "ab".repeat(20));
        logs.add(stranger);

        ConnectorMetrics metrics = ConnectorMetrics.inMemory();
        List<ChainEvent> events = new EthereumLogDecoder(ethereum.kmsGeneration(), ethereum.protocolConfig(), metrics)
                .decode(logs);
        assertEquals(1, events.size());
        assertEquals(good, events.get(0).key());
        assertEquals(1.0, metrics.count(Metrics.LISTENER_MALFORMED, "topic0", EthereumEventTopics.PREP_KEYGEN_REQUEST));
    }

    @Test
    void aChainWithoutAFinalizedBlockIsAnError() {
        LogFetcher nowhere = new LogFetcher(Web3jClients.create("http://127.0.0.1:1", Duration.ofSeconds(2)),
                List.of(ethereum.kmsGeneration()), EthereumEventTopics.SUBSCRIBED, LogFetcher.Head.FINALIZED);
        assertThrows(java.io.IOException.class, nowhere::head);
        assertThrows(IllegalArgumentException.class, () -> KeyManagementEvents.paramsType(BigInteger.TWO));
    }

    private static Log copy(Log log) {
        return new Log(log.isRemoved(), log.getLogIndexRaw(), log.getTransactionIndexRaw(), log.getTransactionHash(),
                log.getBlockHash(), log.getBlockNumberRaw(), log.getAddress(), log.getData(), log.getType(),
                log.getTopics());
    }

    private static String column(OperationTable t, BigInteger id, String expr) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + expr + " FROM " + t.name() + " WHERE " + t.key() + " = ?")) {
            ps.setBytes(1, Uint256.toLittleEndian(id));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static byte[] bytes(OperationTable t, BigInteger id, String column) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + column + " FROM " + t.name() + " WHERE " + t.key() + " = ?")) {
            ps.setBytes(1, Uint256.toLittleEndian(id));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }
}
