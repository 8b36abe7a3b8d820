package org.kmsconnector.sender;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.sender.SendFailure.Recoverable;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthGetTransactionCount;
import org.web3j.protocol.core.methods.response.EthTransaction;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * What became of the transactions an earlier pick of a response sent (see {@link PriorSend}):
 * one was mined; one still waits in the node's pool; or none can ever be mined (not known to the
 * node, so never broadcast or dropped, or their nonce was used by another transaction). Only in
 * the last case may the response be sent anew; any doubt (an RPC error) is an exception, so the
 * caller retries later instead of guessing.
 */
final class EarlierTransactions {
    sealed interface Finding permits Mined, Pending, Lost {}

    record Mined(InFlight inFlight, TransactionReceipt receipt) implements Finding {}

    record Pending(InFlight inFlight) implements Finding {}

    record Lost(String why) implements Finding {}

    private final Web3j web3j;
    private final ReceiptWatcher receipts;
    private final String signer;

    EarlierTransactions(Web3j web3j, ReceiptWatcher receipts, String signer) {
        this.web3j = web3j;
        this.receipts = receipts;
        this.signer = signer;
    }

    Finding check(PriorSend prior) throws IOException, Recoverable {
        InFlight known = new InFlight(prior.nonce());
        for (String hash : prior.hashes()) {
            known.add(hash, null, null);
        }
        Optional<TransactionReceipt> mined = receipts.any(known);
        if (mined.isPresent()) {
            return new Mined(known, mined.get());
        }
        List<String> newestFirst = new ArrayList<>(prior.hashes());
        Collections.reverse(newestFirst);
        for (String hash : newestFirst) {
            EthTransaction found = web3j.ethGetTransactionByHash(hash).send();
            if (found.hasError()) {
                throw new Recoverable("eth_getTransactionByHash failed: " + found.getError().getMessage(), hash, true);
            }
            if (found.getTransaction().isPresent()) {
                return new Pending(resumable(prior, found.getTransaction().get()));
            }
        }
        EthGetTransactionCount count = web3j.ethGetTransactionCount(signer, DefaultBlockParameterName.LATEST).send();
        if (count.hasError()) {
            throw new Recoverable("eth_getTransactionCount failed: " + count.getError().getMessage(),
                    prior.lastHash(), true);
        }
        BigInteger minedCount = count.getTransactionCount();
        return new Lost(minedCount.compareTo(prior.nonce()) > 0
                ? "nonce " + prior.nonce() + " was used by another transaction"
                : "the node does not know " + prior.lastHash() + " (never broadcast, or dropped)");
    }

    /** The pending transaction with its gas and fees, so a replacement can outbid it under its nonce. */
    private static InFlight resumable(PriorSend prior, Transaction pending) {
        InFlight inFlight = new InFlight(pending.getNonce());
        for (String hash : prior.hashes()) {
            if (!hash.equalsIgnoreCase(pending.getHash())) {
                inFlight.add(hash, pending.getGas(), fees(pending));
            }
        }
        inFlight.add(pending.getHash(), pending.getGas(), fees(pending));
        return inFlight;
    }

    private static InFlight.Fees fees(Transaction tx) {
        BigInteger max = tx.getMaxFeePerGas() != null ? tx.getMaxFeePerGas() : tx.getGasPrice();
        BigInteger tip = tx.getMaxPriorityFeePerGas() != null ? tx.getMaxPriorityFeePerGas() : tx.getGasPrice();
        return new InFlight.Fees(tip, max);
    }
}
