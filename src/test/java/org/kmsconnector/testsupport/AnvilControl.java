package org.kmsconnector.testsupport;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/** Mining and account state of an anvil node, for tests that decide when blocks are made. */
public final class AnvilControl implements AutoCloseable {
    private final HttpService rpc;
    private final Web3j web3j;

    public AnvilControl(String url) {
        this.rpc = new HttpService(url);
        this.web3j = Web3j.build(rpc);
    }

    public void automine(boolean on) throws IOException {
        call("evm_setAutomine", List.of(on));
    }

    /** A block every {@code seconds} besides the transactions' own; 0 stops it. */
    public void intervalMining(int seconds) throws IOException {
        call("evm_setIntervalMining", List.of(seconds));
    }

    /** {@code blocks} empty blocks. */
    public void mine(int blocks) throws IOException {
        call("anvil_mine", List.of("0x" + Integer.toHexString(blocks)));
    }

    public void mine() throws IOException {
        call("evm_mine", List.of());
    }

    /** Transactions of {@code address} mined so far (its latest nonce). */
    public BigInteger minedCount(String address) throws IOException {
        return web3j.ethGetTransactionCount(address, DefaultBlockParameterName.LATEST).send().getTransactionCount();
    }

    public Optional<Transaction> transaction(String hash) throws IOException {
        return web3j.ethGetTransactionByHash(hash).send().getTransaction();
    }

    public long blockNumber() throws IOException {
        return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    }

    private void call(String method, List<?> params) throws IOException {
        VoidResponse r = new Request<>(method, params, rpc, VoidResponse.class).send();
        if (r.hasError()) {
            throw new IOException(method + ": " + r.getError().getMessage());
        }
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
