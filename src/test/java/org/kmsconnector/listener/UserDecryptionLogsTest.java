package org.kmsconnector.listener;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.db.Operations;
import org.kmsconnector.devnet.CiphertextPublisher;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.DevChain;
import org.kmsconnector.devnet.GatewayDeployment;
import org.kmsconnector.devnet.UserDecryptionCalls.Entry;
import org.kmsconnector.devnet.UserDecryptionCalls;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** D2 and D3 decoded from logs the Decryption mock really emitted (dual emission included). */
@UsesRealParts
class UserDecryptionLogsTest {
    static final String CONTRACT = "0x00000000000000000000000000000000000c0ffe";
    static final String OTHER_CONTRACT = "0x0000000000000000000000000000000000bead01";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static DevChain chain;
    private static GatewayDeployment gateway;
    private static Web3j web3j;
    private static UserDecryptionCalls.Domain domain;

    @BeforeAll
    static void setUp() throws Exception {
        chain = new DevChain(TestInfra.anvil().url(), TestInfra.CHAIN_ID, DevAccounts.DEPLOYER);
        gateway = GatewayDeployment.deploy(chain, DevAccounts.TX_SENDER.getAddress(), DevAccounts.KMS_SIGNER.getAddress(),
                DevAccounts.COPROCESSOR_SIGNER.getAddress(), "http://127.0.0.1:1/unused");
        web3j = Web3jClients.create(TestInfra.anvil().url(), Duration.ofSeconds(10));
        domain = new UserDecryptionCalls.Domain("Decryption", "1", TestInfra.CHAIN_ID, gateway.decryption());
    }

    @AfterAll
    static void tearDown() {
        web3j.shutdown();
        chain.close();
    }

    static byte[] handle(int fheType) {
        byte[] hash = new byte[21];
        RANDOM.nextBytes(hash);
        return CiphertextPublisher.handle(hash, 0, TestInfra.CHAIN_ID, fheType, 0);
    }

    @Test
    void legacyDelegatedAndUnifiedRequestsDecodeWithEveryField() throws Exception {
        List<byte[]> legacyHandles = List.of(handle(2), handle(5));
        byte[] key = {0x0a, 0x0b, 0x0c};
        byte[] extraV1 = Hex.decode("01" + "07".repeat(32));
        TransactionReceipt legacy = chain.send(gateway.decryption(), UserDecryptionCalls.legacy(domain,
                DevAccounts.USER, legacyHandles, CONTRACT, 1_700_000_000L, 7, key, new byte[] {0}));
        TransactionReceipt delegated = chain.send(gateway.decryption(), UserDecryptionCalls.delegated(domain,
                DevAccounts.DEPLOYER.getAddress(), DevAccounts.USER, List.of(handle(4)), CONTRACT, 1_700_000_000L, 1,
                key, extraV1));
        List<Entry> entries = List.of(new Entry(handle(3), CONTRACT, DevAccounts.USER.getAddress()),
                new Entry(handle(8), OTHER_CONTRACT, DevAccounts.DEPLOYER.getAddress()));
        byte[] signature = UserDecryptionCalls.unifiedSignature(domain, DevAccounts.USER,
                List.of(CONTRACT, OTHER_CONTRACT), 1_800_000_000L, 86_400, key, extraV1);
        TransactionReceipt unified = chain.send(gateway.decryption(), UserDecryptionCalls.unified(domain,
                DevAccounts.USER, entries, List.of(CONTRACT, OTHER_CONTRACT), 1_800_000_000L, 86_400, key, extraV1));

        ConnectorMetrics metrics = ConnectorMetrics.inMemory();
        BlockRange range = range(legacy, unified);
        List<ChainEvent> events = new GatewayLogDecoder(metrics).decode(
                new LogFetcher(web3j, List.of(gateway.decryption()), GatewayEventTopics.SUBSCRIBED,
                        LogFetcher.Head.LATEST).fetch(range));
        assertEquals(3, events.size());
        assertEquals(3.0, metrics.count(Metrics.LISTENER_EVENTS, "event_type", Operations.USER_DECRYPTION.eventType()));

        UserDecryptionRequested d2 = (UserDecryptionRequested) events.get(0);
        assertTrue(d2.decryptionId().compareTo(BigInteger.TWO.shiftLeft(248)) > 0, "user ids carry the 0x02 tag");
        assertEquals(2, d2.ctHandles().size());
        assertArrayEquals(legacyHandles.get(1), d2.ctHandles().get(1));
        assertArrayEquals(address(DevAccounts.USER.getAddress()), d2.userAddress());
        assertArrayEquals(key, d2.publicKey());
        assertArrayEquals(new byte[] {0}, d2.extraData());
        assertArrayEquals(Hex.decode(legacy.getTransactionHash()), d2.txHash());
        assertTrue(d2.unified().isEmpty());

        UserDecryptionRequested d2Delegated = (UserDecryptionRequested) events.get(1);
        assertEquals(d2.decryptionId().add(BigInteger.ONE), d2Delegated.decryptionId());
        assertArrayEquals(address(DevAccounts.USER.getAddress()), d2Delegated.userAddress(), "the delegate");
        assertArrayEquals(extraV1, d2Delegated.extraData());
        assertArrayEquals(Hex.decode(delegated.getTransactionHash()), d2Delegated.txHash());

        UserDecryptionRequested d3 = (UserDecryptionRequested) events.get(2);
        assertEquals(d2.decryptionId().add(BigInteger.TWO), d3.decryptionId(), "one counter for every user request");
        assertArrayEquals(entries.get(1).handle(), d3.ctHandles().get(1));
        assertArrayEquals(address(DevAccounts.USER.getAddress()), d3.userAddress());
        assertArrayEquals(key, d3.publicKey());
        assertArrayEquals(extraV1, d3.extraData());
        UserDecryptionRequested.Unified u = d3.unified().orElseThrow();
        assertArrayEquals(address(DevAccounts.DEPLOYER.getAddress()), u.ownerAddresses().get(1));
        assertArrayEquals(address(OTHER_CONTRACT), u.contractAddresses().get(1));
        assertArrayEquals(address(CONTRACT), u.contractAddresses().get(0));
        assertEquals(2, u.allowedContracts().size());
        assertArrayEquals(address(OTHER_CONTRACT), u.allowedContracts().get(1));
        assertEquals(1_800_000_000L, u.startTimestamp());
        assertEquals(86_400, u.durationSeconds());
        assertArrayEquals(signature, u.signature());

        List<Log> all = allLogs(range);
        assertEquals(6, all.size(), "each request is dual-emitted");
        assertEquals(3, new GatewayLogDecoder(metrics).decode(all).size(), "the deprecated variants are skipped");
    }

    @Test
    void aUnifiedRequestWhoseTimestampsDoNotFitInt64IsSkippedAndTheRestOfTheBatchKept() throws Exception {
        byte[] h = handle(5);
        TransactionReceipt first = chain.send(gateway.decryption(), UserDecryptionCalls.legacy(domain,
                DevAccounts.USER, List.of(h), CONTRACT, 1, 1, new byte[] {1}, new byte[0]));
        chain.send(gateway.decryption(), UserDecryptionCalls.unified(
                List.of(new Entry(h, CONTRACT, DevAccounts.USER.getAddress())), DevAccounts.USER.getAddress(),
                List.of(), BigInteger.ONE.shiftLeft(63), BigInteger.TEN, new byte[] {1}, new byte[65], new byte[0]));
        TransactionReceipt last = chain.send(gateway.decryption(), UserDecryptionCalls.unified(domain,
                DevAccounts.USER, List.of(new Entry(h, CONTRACT, DevAccounts.USER.getAddress())), List.of(), 5, 6,
                new byte[] {1}, new byte[0]));

        ConnectorMetrics metrics = ConnectorMetrics.inMemory();
        List<ChainEvent> events = new GatewayLogDecoder(metrics).decode(
                new LogFetcher(web3j, List.of(gateway.decryption()), GatewayEventTopics.SUBSCRIBED, LogFetcher.Head.LATEST).fetch(range(first, last)));
        assertEquals(2, events.size());
        assertTrue(((UserDecryptionRequested) events.get(0)).unified().isEmpty());
        UserDecryptionRequested.Unified permissive = ((UserDecryptionRequested) events.get(1)).unified().orElseThrow();
        assertEquals(5, permissive.startTimestamp());
        assertEquals(0, permissive.allowedContracts().size(), "an empty list is permissive mode");
        assertEquals(1.0, metrics.count(Metrics.LISTENER_MALFORMED, "topic0",
                GatewayEventTopics.UNIFIED_USER_DECRYPTION_REQUEST));
        assertEquals(2.0, metrics.count(Metrics.LISTENER_EVENTS, "event_type", Operations.USER_DECRYPTION.eventType()));
    }

    @Test
    void truncatedUserLogsAreCountedAndSkipped() throws Exception {
        TransactionReceipt r = chain.send(gateway.decryption(), UserDecryptionCalls.unified(domain, DevAccounts.USER,
                List.of(new Entry(handle(5), CONTRACT, DevAccounts.USER.getAddress())), List.of(CONTRACT), 5, 6,
                new byte[] {1, 2}, new byte[0]));
        List<Log> logs = new ArrayList<>(new LogFetcher(web3j, List.of(gateway.decryption()), GatewayEventTopics.SUBSCRIBED, LogFetcher.Head.LATEST).fetch(range(r, r)));
        assertEquals(1, logs.size());
        Log real = logs.get(0);
        // the same log cut short: the payload's offsets now point past the end
        logs.add(0, copy(real, GatewayEventTopics.UNIFIED_USER_DECRYPTION_REQUEST,
                real.getData().substring(0, real.getData().length() - 128)));
        // a D2 whose address word has high bytes set
        logs.add(1, copy(real, GatewayEventTopics.USER_DECRYPTION_REQUEST,
                "0x" + "00".repeat(31) + "80" + "ff".repeat(32) + "00".repeat(31) + "c0" + "00".repeat(31) + "e0"
                        + "00".repeat(32).repeat(4)));

        ConnectorMetrics metrics = ConnectorMetrics.inMemory();
        List<ChainEvent> events = new GatewayLogDecoder(metrics).decode(logs);
        assertEquals(1, events.size());
        assertEquals(1.0, metrics.count(Metrics.LISTENER_MALFORMED, "topic0",
                GatewayEventTopics.UNIFIED_USER_DECRYPTION_REQUEST));
        assertEquals(1.0, metrics.count(Metrics.LISTENER_MALFORMED, "topic0",
                GatewayEventTopics.USER_DECRYPTION_REQUEST));
    }

    private static Log copy(Log real, String topic0, String data) {
        Log log = new Log();
        log.setTopics(List.of(topic0, real.getTopics().get(1)));
        log.setData(data);
        log.setBlockNumber("0x" + real.getBlockNumber().toString(16));
        log.setLogIndex("0x7");
        log.setTransactionHash(real.getTransactionHash());
        return log;
    }

    private static BlockRange range(TransactionReceipt first, TransactionReceipt last) {
        return new BlockRange(first.getBlockNumber().longValueExact(), last.getBlockNumber().longValueExact(), false);
    }

    private static byte[] address(String hex) {
        return Hex.decode(hex);
    }

    private static List<Log> allLogs(BlockRange range) throws Exception {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(range.from())),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(range.to())), gateway.decryption());
        List<Log> out = new ArrayList<>();
        for (EthLog.LogResult<?> r : web3j.ethGetLogs(filter).send().getLogs()) {
            out.add((Log) r.get());
        }
        return out;
    }
}
