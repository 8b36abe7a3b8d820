package org.kmsconnector.sender;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.PrivateKeySigner;
import org.kmsconnector.chain.TxSigner;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.devnet.AnvilNode;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ChainSender against a real anvil and the Decryption mock. */
@UsesRealParts
class ChainSenderTest {
    private static AnvilNode anvil;
    private static DecryptionFixture fixture;
    private static Web3j web3j;

    @BeforeAll
    static void deploy() throws Exception {
        anvil = TestInfra.anvil();
        fixture = DecryptionFixture.deploy(anvil);
        web3j = Web3jClients.create(anvil.url(), Duration.ofSeconds(10));
    }

    @AfterAll
    static void close() {
        fixture.close();
        web3j.shutdown();
    }

    @Test
    void validResponseLands() throws Exception {
        DecryptionFixture.Response response = fixture.answer(fixture.request(2));
        SendResult result = sender(PrivateKeySigner.of(DevAccounts.TX_SENDER), 115, true)
                .send(fixture.decryption(), fixture.calldata(response), "valid");

        assertEquals(SendResult.Kind.SENT, result.kind(), result.reason());
        TransactionReceipt receipt = web3j.ethGetTransactionReceipt(result.txHash()).send().getTransactionReceipt()
                .orElseThrow();
        assertTrue(receipt.isStatusOK());
        assertEquals(receipt.getGasUsed().longValue(), result.gasUsed());
        assertEquals(1, fixture.responseCount(response.id()));
    }

    @Test
    void unknownDecryptionIdIsRefused() throws Exception {
        DecryptionFixture.Request request = fixture.request(1);
        DecryptionFixture.Response valid = fixture.answer(request);
        DecryptionFixture.Response unknown = new DecryptionFixture.Response(request.id().add(BigInteger.valueOf(1000)),
                valid.decryptedResult(), valid.signature(), valid.extraData());

        SendResult result = sender(PrivateKeySigner.of(DevAccounts.TX_SENDER), 115, true)
                .send(fixture.decryption(), fixture.calldata(unknown), "unknown");

        assertEquals(SendResult.Kind.FAILED, result.kind());
        assertTrue(result.reason().contains("DecryptionNotRequested"), result.reason());
    }

    @Test
    void theSameResponseTwiceIsRefusedTheSecondTime() throws Exception {
        DecryptionFixture.Response response = fixture.answer(fixture.request(1));
        RouteSteps sender = sender(PrivateKeySigner.of(DevAccounts.TX_SENDER), 115, true);

        assertEquals(SendResult.Kind.SENT, sender.send(fixture.decryption(), fixture.calldata(response), "1st").kind());
        SendResult second = sender.send(fixture.decryption(), fixture.calldata(response), "2nd");

        assertEquals(SendResult.Kind.FAILED, second.kind());
        assertTrue(second.reason().contains("KmsNodeAlreadySigned"), second.reason());
        assertEquals(1, fixture.responseCount(response.id()));
    }

    @Test
    void concurrentSendsGetConsecutiveNonces() throws Exception {
        List<DecryptionFixture.Response> responses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            responses.add(fixture.answer(fixture.request(1)));
        }
        BigInteger start = pendingCount();
        RouteSteps sender = sender(PrivateKeySigner.of(DevAccounts.TX_SENDER), 115, true);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<SendResult>> futures = new ArrayList<>();
        for (DecryptionFixture.Response r : responses) {
            futures.add(pool.submit(() -> sender.send(fixture.decryption(), fixture.calldata(r), "concurrent")));
        }
        List<BigInteger> nonces = new ArrayList<>();
        for (Future<SendResult> f : futures) {
            SendResult result = f.get();
            assertEquals(SendResult.Kind.SENT, result.kind(), result.reason());
            nonces.add(web3j.ethGetTransactionByHash(result.txHash()).send().getTransaction().orElseThrow().getNonce());
        }
        pool.shutdown();

        nonces.sort(null);
        for (int i = 0; i < 20; i++) {
            assertEquals(start.add(BigInteger.valueOf(i)), nonces.get(i), "nonces " + nonces);
        }
        for (DecryptionFixture.Response r : responses) {
            assertEquals(1, fixture.responseCount(r.id()));
        }
    }

    @Test
    void aFailedSendResetsTheNonceSoTheNextLeavesNoGap() throws Exception {
        NonceManager direct = new NonceManager(web3j, DevAccounts.TX_SENDER.getAddress());
        BigInteger taken = direct.next();
        assertEquals(taken.add(BigInteger.ONE), direct.next());
        direct.failed(taken.add(BigInteger.ONE));
        direct.failed(taken);
        assertEquals(taken, direct.next(), "after a failure the node's pending count is read again");
        BigInteger held = direct.next();
        direct.failed(taken);
        assertEquals(taken, direct.next(), "the failed nonce is handed out again");
        assertEquals(held.add(BigInteger.ONE), direct.next(), "a nonce another task still holds is skipped");

        // the first signature fails after a nonce was taken; the retry must reuse that nonce
        AtomicInteger signatures = new AtomicInteger();
        TxSigner real = PrivateKeySigner.of(DevAccounts.TX_SENDER);
        TxSigner flaky = new TxSigner() {
            public String address() {
                return real.address();
            }

            public byte[] sign(RawTransaction tx, long chainId) {
                if (signatures.incrementAndGet() == 1) {
                    throw new IllegalStateException("signing service unavailable");
                }
                return real.sign(tx, chainId);
            }
        };
        RouteSteps sender = sender(flaky, 115, true);
        BigInteger before = pendingCount();
        SendResult first = sender.send(fixture.decryption(), fixture.calldata(fixture.answer(fixture.request(1))), "a");
        SendResult second = sender.send(fixture.decryption(), fixture.calldata(fixture.answer(fixture.request(1))), "b");

        assertEquals(SendResult.Kind.SENT, first.kind(), first.reason());
        assertEquals(SendResult.Kind.SENT, second.kind(), second.reason());
        assertEquals(before, nonceOf(first.txHash()));
        assertEquals(before.add(BigInteger.ONE), nonceOf(second.txHash()));
    }

    @Test
    void aRevertedTransactionIsRecoverableWithItsReason() throws Exception {
        // half the estimate and a single attempt: the transaction is mined and runs out of gas
        DecryptionFixture.Response response = fixture.answer(fixture.request(1));
        SendResult traced = sender(PrivateKeySigner.of(DevAccounts.TX_SENDER), 50, true, 1)
                .send(fixture.decryption(), fixture.calldata(response), "oog");

        assertEquals(SendResult.Kind.RETRY, traced.kind());
        assertNotNull(traced.txHash());
        assertTrue(traced.reason().toLowerCase().contains("outofgas") || traced.reason().toLowerCase()
                .contains("out of gas"), traced.reason());

        SendResult untraced = sender(PrivateKeySigner.of(DevAccounts.TX_SENDER), 50, false, 1)
                .send(fixture.decryption(), fixture.calldata(response), "oog, no trace");
        assertEquals(SendResult.Kind.RETRY, untraced.kind());
        assertTrue(untraced.reason().contains(RevertTracer.DISABLED), untraced.reason());
        assertEquals(0, fixture.responseCount(response.id()));

        // the nonce manager is not confused by mined reverts: a normal send still lands
        assertEquals(SendResult.Kind.SENT, sender(PrivateKeySigner.of(DevAccounts.TX_SENDER), 115, true)
                .send(fixture.decryption(), fixture.calldata(response), "after oog").kind());
    }

    @Test
    void outOfGasIsResentWithMoreGasUntilItLands() throws Exception {
        DecryptionFixture.Response response = fixture.answer(fixture.request(1));
        BigInteger estimate = web3j.ethEstimateGas(org.web3j.protocol.core.methods.request.Transaction
                .createEthCallTransaction(DevAccounts.TX_SENDER.getAddress(), fixture.decryption(),
                        org.web3j.utils.Numeric.toHexString(fixture.calldata(response)))).send().getAmountUsed();
        BigInteger before = pendingCount();

        // 50 % of the estimate runs out; then 75 % (1.5 x the limit that ran out) too; then 112 % lands
        SendResult result = sender(PrivateKeySigner.of(DevAccounts.TX_SENDER), 50, true, 3)
                .send(fixture.decryption(), fixture.calldata(response), "oog then more gas");

        assertEquals(SendResult.Kind.SENT, result.kind(), result.reason());
        BigInteger gas = web3j.ethGetTransactionByHash(result.txHash()).send().getTransaction().orElseThrow().getGas();
        assertTrue(gas.compareTo(estimate) >= 0, "the landed transaction had at least the estimate: " + gas);
        assertEquals(before.add(BigInteger.valueOf(3)), pendingCount(), "two reverted transactions, one success");
        assertEquals(1, fixture.responseCount(response.id()));
    }

    @Test
    void anUnreachableNodeIsBackendGoneNotAnException() {
        Web3j nowhere = Web3jClients.create("http://127.0.0.1:1", Duration.ofSeconds(2));
        try {
            TxSigner signer = PrivateKeySigner.of(DevAccounts.TX_SENDER);
            RouteSteps sender = steps(nowhere, signer, anvil.chainId(),
                    new NonceManager(nowhere, signer.address()), 115, 4, Duration.ofMillis(10), Duration.ofSeconds(5),
                    0, true);
            SendResult result = sender.send(fixture.decryption(), new byte[] {1, 2, 3, 4}, "nowhere");
            assertEquals(SendResult.Kind.BACKEND_GONE, result.kind());
            assertTrue(result.reason().contains("unreachable"), result.reason());
        } finally {
            nowhere.shutdown();
        }
    }

    private RouteSteps sender(TxSigner signer, int multiplier, boolean trace) {
        return sender(signer, multiplier, trace, 3);
    }

    private RouteSteps sender(TxSigner signer, int multiplier, boolean trace, int attempts) {
        return steps(web3j, signer, anvil.chainId(), new NonceManager(web3j, signer.address()), multiplier,
                attempts, Duration.ofMillis(10), Duration.ofSeconds(20), 0, trace);
    }

    private static BigInteger pendingCount() throws Exception {
        return web3j.ethGetTransactionCount(DevAccounts.TX_SENDER.getAddress(), DefaultBlockParameterName.PENDING)
                .send().getTransactionCount();
    }

    private static BigInteger nonceOf(String hash) throws Exception {
        return web3j.ethGetTransactionByHash(hash).send().getTransaction().orElseThrow().getNonce();
    }

    private static RouteSteps steps(org.web3j.protocol.Web3j web3j, org.kmsconnector.chain.TxSigner signer, long chainId,
            NonceManager nonces, int multiplier, int retries, java.time.Duration retryInterval,
            java.time.Duration receiptTimeout, long confirmations, boolean trace) {
        return new RouteSteps(new ChainSender(web3j, signer, chainId, nonces, multiplier, retries, retryInterval,
                receiptTimeout, confirmations, trace));
    }
}
