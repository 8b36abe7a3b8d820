package org.kmsconnector.sender;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.PrivateKeySigner;
import org.kmsconnector.chain.TxSigner;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.config.DatabaseUrl;
import org.kmsconnector.db.DataSources;
import org.kmsconnector.db.Migrations;
import org.kmsconnector.db.OperationSql;
import org.kmsconnector.db.OperationTable;
import org.kmsconnector.db.Operations;
import org.kmsconnector.db.ResponseWrites;
import org.kmsconnector.devnet.AnvilNode;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transaction journal in the response row: a sender that died after broadcasting (or while
 * waiting for the receipt) leaves the nonce and hash behind, and the next sender, with a fresh
 * nonce cache like a restarted process, settles that transaction instead of sending a second.
 * Runs on an anvil of its own whose mining the test controls.
 */
@UsesRealParts
class SendAcrossRestartsTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private AnvilNode anvil;
    private DecryptionFixture fixture;
    private Web3j web3j;
    private HttpService rpc;
    private DevDatabase db;
    private HikariDataSource dataSource;
    private ResponseWrites outcomes;

    @BeforeEach
    void start() throws Exception {
        anvil = AnvilNode.start(TestInfra.CHAIN_ID);
        fixture = DecryptionFixture.deploy(anvil);
        web3j = Web3jClients.create(anvil.url(), Duration.ofSeconds(10));
        rpc = new HttpService(anvil.url());
        db = TestInfra.database("send_restarts");
        DatabaseUrl url = db.connection();
        dataSource = DataSources.pooled(url.jdbcUrl(), url.user(), url.password(), 4, "restarts-test");
        Migrations.migrate(dataSource);
        outcomes = new ResponseWrites(dataSource, Operations.PUBLIC_DECRYPTION.responseTable());
    }

    @AfterEach
    void stop() throws Exception {
        web3j.shutdown();
        fixture.close();
        anvil.close();
        dataSource.close();
        db.close();
    }

    @Test
    void aTransactionMinedAfterTheSenderDiedCompletesTheRowWithoutASecond() throws Exception {
        DecryptionFixture.Response response = fixture.answer(fixture.request(1));
        byte[] id = insertClaimed(response);
        BigInteger before = minedCount();
        automine(false);
        SendResult died = crashedSend(id, response);
        assertEquals(1, journalled(id).size(), "the transaction was written down before it was sent");
        mine();
        releaseLikeTheRecoveryJob();

        AtomicInteger signatures = new AtomicInteger();
        Map<String, Object> claimed = claim();
        newProcess(signatures).accept(claimed);

        assertEquals("completed", status(id));
        assertEquals(0, signatures.get(), "nothing signed, nothing sent: the earlier transaction was mined");
        assertEquals(before.add(BigInteger.ONE), minedCount());
        assertEquals(1, fixture.responseCount(response.id()));
        assertEquals(List.of(died.txHash()), journalled(id));
    }

    @Test
    void aTransactionStillPendingAfterTheSenderDiedIsAwaitedNotDuplicated() throws Exception {
        DecryptionFixture.Response response = fixture.answer(fixture.request(1));
        byte[] id = insertClaimed(response);
        BigInteger before = minedCount();
        automine(false);
        crashedSend(id, response);
        releaseLikeTheRecoveryJob();

        AtomicInteger signatures = new AtomicInteger();
        Map<String, Object> claimed = claim();
        CompletableFuture<Void> miner = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(1500);
                mine();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        newProcess(signatures).accept(claimed);
        miner.join();

        assertEquals("completed", status(id));
        assertEquals(0, signatures.get());
        automine(true);
        assertEquals(before.add(BigInteger.ONE), minedCount());
        assertEquals(1, fixture.responseCount(response.id()));
    }

    @Test
    void aJournalledTransactionTheNodeNeverGotIsSentAnew() throws Exception {
        DecryptionFixture.Response response = fixture.answer(fixture.request(1));
        byte[] id = insertClaimed(response);
        BigInteger before = minedCount();
        byte[] neverBroadcast = new byte[32];
        RANDOM.nextBytes(neverBroadcast);
        // the sender died between writing the journal and handing the transaction to the node
        assertTrue(outcomes.transactionSent(id, before, Hex.prefixed(neverBroadcast)));
        releaseLikeTheRecoveryJob();

        AtomicInteger signatures = new AtomicInteger();
        newProcess(signatures).accept(claim());

        assertEquals("completed", status(id));
        assertEquals(1, signatures.get());
        assertEquals(before.add(BigInteger.ONE), minedCount(), "sent once, under the nonce left free");
        assertEquals(1, fixture.responseCount(response.id()));
        List<String> journal = journalled(id);
        assertEquals(2, journal.size(), "the nonce was still free: the new transaction joins the list under it");
        assertEquals(Hex.prefixed(neverBroadcast), journal.get(0));
    }

    @Test
    void aRowReleasedBeforeTheBroadcastIsNotSentAndLeavesNoNonceGap() throws Exception {
        DecryptionFixture.Response response = fixture.answer(fixture.request(1));
        byte[] id = insertClaimed(response);
        BigInteger before = minedCount();
        releaseLikeTheRecoveryJob(); // the row is pending again: this sender no longer owns it

        RouteSteps sender = chainSender(new AtomicInteger(), Duration.ofSeconds(10), 2);
        SendResult result = sender.send(fixture.decryption(), fixture.calldata(response), "released",
                PriorSend.NONE, journal(id));

        assertEquals(SendResult.Kind.RETRY, result.kind());
        assertTrue(result.reason().contains("no longer under_process"), result.reason());
        assertEquals(before, minedCount(), "nothing sent");
        SendResult next = sender.send(fixture.decryption(), fixture.calldata(fixture.answer(fixture.request(1))),
                "next", PriorSend.NONE, TxJournal.NONE);
        assertEquals(SendResult.Kind.SENT, next.kind(), next.reason());
        assertEquals(before, web3j.ethGetTransactionByHash(next.txHash()).send().getTransaction().orElseThrow()
                .getNonce(), "the nonce the released row did not use is used by the next transaction");
    }

    @Test
    void anEarlierTransactionThatCannotBeCheckedIsNeverResent() throws Exception {
        DecryptionFixture.Response response = fixture.answer(fixture.request(1));
        byte[] id = insertClaimed(response);
        assertTrue(outcomes.transactionSent(id, minedCount(), Hex.prefixed(new byte[32])));
        releaseLikeTheRecoveryJob();
        Map<String, Object> claimed = claim();

        Web3j nowhere = Web3jClients.create("http://127.0.0.1:1", Duration.ofSeconds(2));
        AtomicInteger signatures = new AtomicInteger();
        try {
            TxSigner signer = counting(signatures);
            RouteSteps dead = steps(nowhere, signer, anvil.chainId(),
                    new NonceManager(nowhere, signer.address()), 115, 2, Duration.ofMillis(10), Duration.ofSeconds(2),
                    0, true);
            dead.process(new ResponseSender(DecryptionResponseCalls.publicDecryption(dead.chain(),
                    fixture.decryption()), outcomes, ConnectorMetrics.inMemory()), claimed);
        } finally {
            nowhere.shutdown();
        }
        assertEquals("pending", status(id));
        assertEquals(0, signatures.get());
        assertEquals(0, fixture.responseCount(response.id()));
    }

    /** What a sender that dies while waiting for the receipt leaves behind (its outcome is never written). */
    private SendResult crashedSend(byte[] id, DecryptionFixture.Response response) {
        SendResult r = chainSender(new AtomicInteger(), Duration.ofMillis(500), 1)
                .send(fixture.decryption(), fixture.calldata(response), "dies", PriorSend.NONE, journal(id));
        assertEquals(SendResult.Kind.RETRY, r.kind(), r.reason());
        return r;
    }

    /** A new tx-sender process's send route for one claimed row. */
    private Consumer<Map<String, Object>> newProcess(AtomicInteger signatures) {
        RouteSteps steps = chainSender(signatures, Duration.ofSeconds(20), 3);
        ResponseSender response = new ResponseSender(DecryptionResponseCalls.publicDecryption(steps.chain(),
                fixture.decryption()), outcomes, ConnectorMetrics.inMemory());
        return row -> steps.process(response, row);
    }

    private TxJournal journal(byte[] id) {
        return (nonce, txHash) -> outcomes.transactionSent(id, nonce, txHash);
    }

    private RouteSteps chainSender(AtomicInteger signatures, Duration receiptTimeout, int attempts) {
        TxSigner signer = counting(signatures);
        return steps(web3j, signer, anvil.chainId(), new NonceManager(web3j, signer.address()), 115,
                attempts, Duration.ofMillis(10), receiptTimeout, 0, true);
    }

    private static TxSigner counting(AtomicInteger signatures) {
        TxSigner real = PrivateKeySigner.of(DevAccounts.TX_SENDER);
        return new TxSigner() {
            public String address() {
                return real.address();
            }

            public byte[] sign(RawTransaction tx, long chainId) {
                signatures.incrementAndGet();
                return real.sign(tx, chainId);
            }
        };
    }

    private byte[] insertClaimed(DecryptionFixture.Response r) throws Exception {
        byte[] id = Uint256.toLittleEndian(r.id());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO public_decryption_responses (decryption_id, decrypted_result, signature, extra_data,"
                        + " created_at, otlp_context, status) VALUES (?, ?, ?, ?, ?, '\\x0000000000000000',"
                        + " 'under_process')")) {
            ps.setBytes(1, id);
            ps.setBytes(2, r.decryptedResult());
            ps.setBytes(3, r.signature());
            ps.setBytes(4, r.extraData());
            ps.setTimestamp(5, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
        return id;
    }

    private void releaseLikeTheRecoveryJob() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE public_decryption_responses SET status = 'pending' WHERE status = 'under_process'");
        }
    }

    /** The route's claim statement, as camel-sql runs it: one row as a column map. */
    private Map<String, Object> claim() throws Exception {
        OperationTable table = Operations.PUBLIC_DECRYPTION.responseTable();
        String sql = OperationSql.claim(table, OperationSql.responseColumns(table), 1, null);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), "a row to claim");
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
            }
            return row;
        }
    }

    private String status(byte[] id) throws Exception {
        return column(id, "status::text");
    }

    private List<String> journalled(byte[] id) throws Exception {
        String hashes = column(id, "array_to_string(ARRAY(SELECT encode(h, 'hex') FROM unnest(tx_hashes) h), ',')");
        List<String> out = new ArrayList<>();
        for (String h : hashes == null || hashes.isEmpty() ? new String[0] : hashes.split(",")) {
            out.add("0x" + h);
        }
        return out;
    }

    private String column(byte[] id, String expr) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + expr + " FROM public_decryption_responses WHERE decryption_id = ?")) {
            ps.setBytes(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private BigInteger minedCount() throws IOException {
        return web3j.ethGetTransactionCount(DevAccounts.TX_SENDER.getAddress(), DefaultBlockParameterName.LATEST)
                .send().getTransactionCount();
    }

    private void mine() throws IOException {
        VoidResponse r = new Request<>("evm_mine", List.of(), rpc, VoidResponse.class).send();
        if (r.hasError()) {
            throw new IOException(r.getError().getMessage());
        }
    }

    private void automine(boolean on) throws IOException {
        VoidResponse r = new Request<>("evm_setAutomine", List.of(on), rpc, VoidResponse.class).send();
        if (r.hasError()) {
            throw new IOException(r.getError().getMessage());
        }
    }

    private static RouteSteps steps(org.web3j.protocol.Web3j web3j, org.kmsconnector.chain.TxSigner signer, long chainId,
            NonceManager nonces, int multiplier, int retries, java.time.Duration retryInterval,
            java.time.Duration receiptTimeout, long confirmations, boolean trace) {
        return new RouteSteps(new ChainSender(web3j, signer, chainId, nonces, multiplier, retries, retryInterval,
                receiptTimeout, confirmations, trace));
    }
}
