package org.kmsconnector.sender;

import java.io.IOException;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthGetTransactionCount;

/**
 * Nonces of one signer on one chain. The first use reads the pending transaction count; after
 * that nonces are handed out locally, so concurrent senders get consecutive values without a
 * round trip each.
 *
 * <p>A nonce is <em>reserved</em> from {@link #next()} until the node has the transaction
 * ({@link #sent}) or the send failed ({@link #failed}). A failure forgets the cache, so the next
 * call re-reads the node's pending count and fills the gap the failed nonce would otherwise
 * leave (a gap blocks every later transaction); nonces other tasks still hold are skipped then,
 * so a re-read never hands out a nonce twice.
 */
public final class NonceManager {
    private final Web3j web3j;
    private final String address;
    private final Set<BigInteger> reserved = new HashSet<>();
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
        while (reserved.contains(next)) {
            next = next.add(BigInteger.ONE);
        }
        BigInteger nonce = next;
        next = next.add(BigInteger.ONE);
        reserved.add(nonce);
        return nonce;
    }

    /** The node accepted the transaction: its pending count now covers the nonce. */
    public synchronized void sent(BigInteger nonce) {
        reserved.remove(nonce);
    }

    /** The transaction never reached the node (or may not have): give the nonce back and re-read. */
    public synchronized void failed(BigInteger nonce) {
        reserved.remove(nonce);
        next = null;
    }

    /** Forgets the cached nonce: the next call re-reads the node's pending count. */
    public synchronized void reset() {
        next = null;
    }

    public String address() {
        return address;
    }
}
