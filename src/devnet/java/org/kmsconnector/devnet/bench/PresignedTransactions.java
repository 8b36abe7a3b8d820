package org.kmsconnector.devnet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.kmsconnector.chain.Hex;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;

/**
 * Signs transactions up front and sends them to a node as fast as it takes them (a bounded
 * number in flight over raw JSON-RPC), then waits until the account's mined nonce shows them
 * all: the node's raw rate for pre-signed transactions, with no client logic in the way.
 */
final class PresignedTransactions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IN_FLIGHT = 16;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI node;
    private final long chainId;

    PresignedTransactions(String nodeUrl, long chainId) {
        this.node = URI.create(nodeUrl);
        this.chainId = chainId;
    }

    /** Signs one EIP-1559 call per calldata, nonces from the account's next one on. */
    List<String> sign(Credentials from, String to, List<String> calldata, BigInteger gasLimit) throws IOException {
        BigInteger nonce = quantity(call("eth_getTransactionCount", "\"" + from.getAddress() + "\",\"pending\""));
        BigInteger base = quantity(call("eth_getBlockByNumber", "\"latest\",false").get("baseFeePerGas"));
        BigInteger tip = BigInteger.valueOf(1_000_000_000L);
        BigInteger maxFee = base.multiply(BigInteger.valueOf(4)).add(tip);
        List<String> signed = new ArrayList<>(calldata.size());
        for (String data : calldata) {
            RawTransaction tx = RawTransaction.createTransaction(chainId, nonce, gasLimit, to, BigInteger.ZERO, data,
                    tip, maxFee);
            signed.add(Hex.prefixed(TransactionEncoder.signMessage(tx, chainId, from)));
            nonce = nonce.add(BigInteger.ONE);
        }
        return signed;
    }

    /** Sends them all, returns once the account's mined nonce covers the last one. */
    void sendAndAwaitMined(Credentials from, List<String> signed, Duration timeout) throws Exception {
        BigInteger target = quantity(call("eth_getTransactionCount", "\"" + from.getAddress() + "\",\"pending\""))
                .add(BigInteger.valueOf(signed.size()));
        Semaphore slots = new Semaphore(IN_FLIGHT);
        AtomicReference<String> failure = new AtomicReference<>();
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (String raw : signed) {
            slots.acquire();
            sent.add(http.sendAsync(rpc("eth_sendRawTransaction", "\"" + raw + "\""), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        slots.release();
                        String error = e != null ? e.toString() : r.body().contains("\"error\"") ? r.body() : null;
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                    }));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        if (failure.get() != null) {
            throw new IOException("a transaction was refused: " + failure.get());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (quantity(call("eth_getTransactionCount", "\"" + from.getAddress() + "\",\"latest\"")).compareTo(target) < 0) {
            if (System.nanoTime() > deadline) {
                throw new IOException("not all " + signed.size() + " transactions were mined within " + timeout);
            }
            Thread.sleep(5);
        }
    }

    long blockNumber() throws IOException {
        return quantity(call("eth_blockNumber", "")).longValueExact();
    }

    BigInteger estimateGas(String from, String to, String data) throws IOException {
        return quantity(call("eth_estimateGas", "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"data\":\"" + data + "\"}"));
    }

    private JsonNode call(String method, String params) throws IOException {
        try {
            JsonNode reply = JSON.readTree(http.send(rpc(method, params), HttpResponse.BodyHandlers.ofString()).body());
            if (reply.has("error")) {
                throw new IOException(method + ": " + reply.get("error"));
            }
            return reply.get("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private HttpRequest rpc(String method, String params) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":[" + params + "]}";
        return HttpRequest.newBuilder(node).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static BigInteger quantity(JsonNode hex) {
        return new BigInteger(hex.asText().substring(2), 16);
    }
}
