package org.kmsconnector.sender;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.PrivateKeySigner;
import org.kmsconnector.chain.TxSigner;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.devnet.AnvilNode;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A receipt that does not come in time must not turn one response into two transactions: the
 * next attempt looks the first one up and, if it is still unmined, replaces it under the same
 * nonce. Runs on an anvil of its own whose mining the test controls.
 */
@UsesRealParts
class ReceiptTimeoutTest {
    private AnvilNode anvil;
    private DecryptionFixture fixture;
    private Web3j web3j;
    private HttpService rpc;

    @BeforeEach
    void start() throws Exception {
        anvil = AnvilNode.start(TestInfra.CHAIN_ID);
        fixture = DecryptionFixture.deploy(anvil);
        web3j = Web3jClients.create(anvil.url(), Duration.ofSeconds(10));
        rpc = new HttpService(anvil.url());
    }

    @AfterEach
    void stop() {
        web3j.shutdown();
        fixture.close();
        anvil.close();
    }

    @Test
    void anUnminedTransactionIsReplacedUnderItsNonceNotDuplicated() throws Exception {
        DecryptionFixture.Response response = fixture.answer(fixture.request(1));
        BigInteger before = pendingCount();
        BigInteger firstTip = nodeTip();
        automine(false);
        // mined only after the first attempt gave up waiting: by then the replacement is in the pool
        CompletableFuture<Void> miner = mineAfter(Duration.ofMillis(1500));

        SendResult result = sender(Duration.ofSeconds(1), Duration.ofMillis(10))
                .send(fixture.decryption(), fixture.calldata(response), "slow chain");
        miner.join();

        assertOneTransaction(result, before);
        assertTrue(tipOf(result).compareTo(firstTip) > 0, "the mined transaction is the replacement, paying more");
        assertEquals(1, fixture.responseCount(response.id()));
    }

    @Test
    void aTransactionMinedAfterTheTimeoutIsFoundByItsHash() throws Exception {
        DecryptionFixture.Response response = fixture.answer(fixture.request(1));
        BigInteger before = pendingCount();
        BigInteger firstTip = nodeTip();
        automine(false);
        // mined during the pause between attempts: the second attempt finds it and sends nothing
        CompletableFuture<Void> miner = mineAfter(Duration.ofMillis(1500));

        SendResult result = sender(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .send(fixture.decryption(), fixture.calldata(response), "late receipt");
        miner.join();

        assertOneTransaction(result, before);
        assertEquals(firstTip, tipOf(result), "the mined transaction is the first one, never replaced");
        assertEquals(1, fixture.responseCount(response.id()));
    }

    private void assertOneTransaction(SendResult result, BigInteger before) throws IOException {
        assertEquals(SendResult.Kind.SENT, result.kind(), result.reason());
        automine(true);
        assertEquals(before.add(BigInteger.ONE), pendingCount(), "exactly one transaction of the wallet was mined");
        assertEquals(before, web3j.ethGetTransactionByHash(result.txHash()).send().getTransaction().orElseThrow()
                .getNonce());
    }

    private BigInteger tipOf(SendResult result) throws IOException {
        return web3j.ethGetTransactionByHash(result.txHash()).send().getTransaction().orElseThrow()
                .getMaxPriorityFeePerGas();
    }

    private BigInteger nodeTip() throws IOException {
        return web3j.ethMaxPriorityFeePerGas().send().getMaxPriorityFeePerGas();
    }

    private RouteSteps sender(Duration receiptTimeout, Duration retryInterval) {
        TxSigner signer = PrivateKeySigner.of(DevAccounts.TX_SENDER);
        return steps(web3j, signer, anvil.chainId(), new NonceManager(web3j, signer.address()), 115, 3,
                retryInterval, receiptTimeout, 0, true);
    }

    private CompletableFuture<Void> mineAfter(Duration delay) {
        return CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(delay.toMillis());
                new Request<>("evm_mine", List.of(), rpc, VoidResponse.class).send();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void automine(boolean on) throws IOException {
        VoidResponse r = new Request<>("evm_setAutomine", List.of(on), rpc, VoidResponse.class).send();
        if (r.hasError()) {
            throw new IOException(r.getError().getMessage());
        }
    }

    private BigInteger pendingCount() throws IOException {
        return web3j.ethGetTransactionCount(DevAccounts.TX_SENDER.getAddress(), DefaultBlockParameterName.LATEST)
                .send().getTransactionCount();
    }

    private static RouteSteps steps(org.web3j.protocol.Web3j web3j, org.kmsconnector.chain.TxSigner signer, long chainId,
            NonceManager nonces, int multiplier, int retries, java.time.Duration retryInterval,
            java.time.Duration receiptTimeout, long confirmations, boolean trace) {
        return new RouteSteps(new ChainSender(web3j, signer, chainId, nonces, multiplier, retries, retryInterval,
                receiptTimeout, confirmations, trace));
    }
}
