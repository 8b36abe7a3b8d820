package org.kmsconnector.listener;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.db.DataSources;
import org.kmsconnector.db.Migrations;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.DevChain;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.devnet.GatewayDeployment;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Gateway listener's pieces against logs a real Decryption mock emitted on anvil, and a real DB. */
@UsesRealParts
class GatewayListenerPartsTest {
    private static DevChain chain;
    private static GatewayDeployment gateway;
    private static Web3j web3j;
    private static DevDatabase db;
    private static com.zaxxer.hikari.HikariDataSource dataSource;

    @BeforeAll
    static void setUp() throws Exception {
        chain = new DevChain(TestInfra.anvil().url(), TestInfra.CHAIN_ID, DevAccounts.DEPLOYER);
        gateway = GatewayDeployment.deploy(chain, DevAccounts.TX_SENDER.getAddress(), DevAccounts.KMS_SIGNER.getAddress(),
                DevAccounts.COPROCESSOR_SIGNER.getAddress(), "http://127.0.0.1:1/unused");
        web3j = Web3jClients.create(TestInfra.anvil().url(), Duration.ofSeconds(10));
        db = TestInfra.database("listener_parts");
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

    private static TransactionReceipt request(List<byte[]> handles, byte[] extraData) throws Exception {
        return chain.send(gateway.decryption(), new Function("publicDecryptionRequest",
                List.of(new DynamicArray<>(Bytes32.class, handles.stream().map(Bytes32::new).toList()),
                        new DynamicBytes(extraData)), List.of()));
    }

    private static byte[] handle(int seed) {
        byte[] h = new byte[32];
        h[0] = (byte) seed;
        h[30] = 5;
        return h;
    }

    @Test
    void decodesPublicDecryptionRequestsFromRealLogsAndSkipsTheDeprecatedVariant() throws Exception {
        byte[] extra = Hex.decode("01" + "07".repeat(32));
        TransactionReceipt first = request(List.of(handle(1), handle(2)), extra);
        TransactionReceipt second = request(List.of(handle(3)), new byte[0]);
        BlockRange range = new BlockRange(first.getBlockNumber().longValueExact(),
                second.getBlockNumber().longValueExact(), false);

        ConnectorMetrics metrics = ConnectorMetrics.inMemory();
        GatewayLogDecoder decoder = new GatewayLogDecoder(metrics);
        List<ChainEvent> fetched = decoder.decode(new LogFetcher(web3j, List.of(gateway.decryption()), GatewayEventTopics.SUBSCRIBED, LogFetcher.Head.LATEST).fetch(range));
        assertEquals(2, fetched.size());
        PublicDecryptionRequested a = (PublicDecryptionRequested) fetched.get(0);
        assertEquals(2, a.ctHandles().size());
        assertArrayEquals(handle(2), a.ctHandles().get(1));
        assertArrayEquals(extra, a.extraData());
        assertArrayEquals(Hex.decode(first.getTransactionHash()), a.txHash());
        BigInteger base = BigInteger.ONE.shiftLeft(248);
        assertTrue(a.decryptionId().compareTo(base) > 0, "public decryption ids carry the 0x01 tag");
        assertEquals(a.decryptionId().add(BigInteger.ONE), ((PublicDecryptionRequested) fetched.get(1)).decryptionId());

        // Every log the contract emitted, deprecated dual emission included: only D1 is an event,
        // and the deprecated variant is ignored without being counted as malformed.
        List<Log> all = allLogs(range);
        assertEquals(4, all.size());
        assertEquals(2, decoder.decode(all).size());
        assertEquals(0, metrics.count(Metrics.LISTENER_MALFORMED, "topic0",
                GatewayEventTopics.PUBLIC_DECRYPTION_REQUEST));
    }

    @Test
    void aMalformedLogIsCountedAndSkippedWithoutLosingTheOthers() throws Exception {
        TransactionReceipt receipt = request(List.of(handle(9)), new byte[0]);
        BlockRange range = new BlockRange(receipt.getBlockNumber().longValueExact(),
                receipt.getBlockNumber().longValueExact(), false);
        List<Log> logs = new ArrayList<>(new LogFetcher(web3j, List.of(gateway.decryption()), GatewayEventTopics.SUBSCRIBED, LogFetcher.Head.LATEST).fetch(range));
        Log broken = new Log();
        broken.setTopics(List.of(GatewayEventTopics.PUBLIC_DECRYPTION_REQUEST, "0x" + "00".repeat(31) + "05"));
        broken.setData("0x1234");
        broken.setBlockNumber("0x1");
        broken.setLogIndex("0x0");
        broken.setTransactionHash("0x" + "ab".repeat(32));
        logs.add(0, broken);

        ConnectorMetrics metrics = ConnectorMetrics.inMemory();
        List<ChainEvent> events = new GatewayLogDecoder(metrics).decode(logs);
        assertEquals(1, events.size());
        assertEquals(1.0, metrics.count(Metrics.LISTENER_MALFORMED, "topic0",
                GatewayEventTopics.PUBLIC_DECRYPTION_REQUEST));
    }

    @Test
    void storingIsIdempotentAndTheCheckpointOnlyMovesForward() throws Exception {
        EventStore store = new EventStore(dataSource, "gateway");
        BigInteger id = BigInteger.ONE.shiftLeft(248).add(BigInteger.valueOf(4242));
        PublicDecryptionRequested event = new PublicDecryptionRequested(id, List.of(handle(7)), new byte[] {0},
                new byte[32], 10, 0);
        assertEquals(1, store.store(List.of(event), new BlockRange(10, 12, false)));
        assertEquals(0, store.store(List.of(event), new BlockRange(10, 12, false)), "a second listener adds nothing");
        store.store(List.of(), new BlockRange(5, 8, false));
        assertEquals(OptionalLong.of(12), store.lastPolled(), "the checkpoint never moves back");

        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT decryption_id, ct_handles[1], status, extra_data"
                        + " FROM public_decryption_requests")) {
            rs.next();
            assertArrayEquals(Uint256.toLittleEndian(id), rs.getBytes(1), "ids are stored little-endian");
            assertArrayEquals(handle(7), rs.getBytes(2));
            assertEquals("pending", rs.getString(3));
            assertArrayEquals(new byte[] {0}, rs.getBytes(4));
        }
    }

    @Test
    void theCursorStartsAtTheOptionThenTheCheckpointThenTheHead() throws Exception {
        assertEquals(new BlockRange(3, 4, true),
                new ChainCursor("Gateway", 2, 0, OptionalLong.of(3), () -> 100, OptionalLong::empty).nextRange());
        assertEquals(new BlockRange(51, 100, false),
                new ChainCursor("Gateway", 100, 0, OptionalLong.empty(), () -> 100, () -> OptionalLong.of(50)).nextRange());
        ChainCursor fresh = new ChainCursor("Gateway", 0, 0, OptionalLong.empty(), () -> 100, OptionalLong::empty);
        BlockRange first = fresh.nextRange();
        assertEquals(new BlockRange(100, 100, false), first, "a fresh database starts at the head; batch 0 acts as 1");
        fresh.advance(first);
        assertNull(fresh.nextRange(), "nothing new yet");
    }

    private static List<Log> allLogs(BlockRange range) throws Exception {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(range.from())),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(range.to())), gateway.decryption());
        List<Log> out = new ArrayList<>();
        for (EthLog.LogResult<?> r : web3j.ethGetLogs(filter).send().getLogs()) {
            out.add((Log) r.get());
        }
        assertTrue(out.size() >= 2);
        return out;
    }
}
