package org.kmsconnector.sender;

import java.io.IOException;
import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthGetTransactionCount;

/**
 * Nonces of one signer on one chain. The first use reads the pending transaction count; after
 * that nonces are handed out locally, so concurrent senders get consecutive values without a
 * round trip each. Any send error must call {@link #reset()}: a nonce taken by a transaction that
 * never reached the node would otherwise leave a gap that blocks every later transaction.
 */
public final class NonceManager {
    private final Web3j web3j;
    private final String address;
    private BigInteger next;

    public NonceManager(Web3j web3j, String address) {
        this.web3j = web3j;
        this.address = address;
    }

    /** The nonce for the next transaction; reads the chain when nothing is cached. */
    public synchronized BigInteger next() throws IOException {
        if (next == null) {
            EthGetTransactionCount count =
                    web3j.ethGetTransactionCount(address, DefaultBlockParameterName.PENDING).send();
            if (count.hasError()) {
                throw new IOException("eth_getTransactionCount failed: " + count.getError().getMessage());
            }
            next = count.getTransactionCount();
        }
        BigInteger nonce = next;
        next = next.add(BigInteger.ONE);
        return nonce;
    }

    /** Forgets the cached nonce: the next call re-reads the node's pending count. */
    public synchronized void reset() {
        next = null;
    }

    public String address() {
        return address;
    }
}
