package org.kmsconnector.sender;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import org.kmsconnector.sender.SendFailure.Recoverable;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Receipts of in-flight transactions: looked up, awaited for at most the receipt timeout (polls
 * back off from 50 ms to 1 s), and followed until the required confirmations with a check that the
 * transaction is still in its block (a re-org would have moved it).
 */
final class ReceiptWatcher {
    private static final Duration FIRST_POLL = Duration.ofMillis(50);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    private final Web3j web3j;
    private final Duration receiptTimeout;
    private final long requiredConfirmations;

    ReceiptWatcher(Web3j web3j, Duration receiptTimeout, long requiredConfirmations) {
        this.web3j = web3j;
        this.receiptTimeout = receiptTimeout;
        this.requiredConfirmations = requiredConfirmations;
    }

    Duration receiptTimeout() {
        return receiptTimeout;
    }

    /** The receipt of whichever of the transactions is mined, if any. */
    Optional<TransactionReceipt> any(InFlight inFlight) throws IOException, Recoverable {
        for (InFlight.Sent sent : inFlight.sent) {
            EthGetTransactionReceipt r = web3j.ethGetTransactionReceipt(sent.hash()).send();
            if (r.hasError()) {
                throw new Recoverable("eth_getTransactionReceipt failed: " + r.getError().getMessage(), sent.hash(),
                        true);
            }
            if (r.getTransactionReceipt().isPresent()) {
                return r.getTransactionReceipt();
            }
        }
        return Optional.empty();
    }

    /** Polls until one of the transactions is mined or the receipt timeout is up. */
    TransactionReceipt await(InFlight inFlight) throws IOException, Recoverable {
        long deadline = System.nanoTime() + receiptTimeout.toNanos();
        Duration poll = FIRST_POLL;
        while (true) {
            Optional<TransactionReceipt> receipt = any(inFlight);
            if (receipt.isPresent()) {
                return receipt.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new Recoverable("no receipt within " + receiptTimeout + " for " + inFlight.lastHash()
                        + " (nonce " + inFlight.nonce + "); the next attempt checks it before replacing it",
                        inFlight.lastHash(), true);
            }
            if (!pause(Duration.ofNanos(Math.min(left, poll.toNanos())))) {
                throw new Recoverable("interrupted while waiting for a receipt", inFlight.lastHash(), true);
            }
            poll = next(poll);
        }
    }

    /** Waits until the receipt's block is {@code requiredConfirmations} deep and still holds the transaction. */
    void awaitConfirmations(TransactionReceipt receipt) throws IOException, Recoverable {
        if (requiredConfirmations <= 0) {
            return;
        }
        long deadline = System.nanoTime() + receiptTimeout.toNanos();
        BigInteger target = receipt.getBlockNumber().add(BigInteger.valueOf(requiredConfirmations));
        Duration poll = FIRST_POLL;
        while (web3j.ethBlockNumber().send().getBlockNumber().compareTo(target) < 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !pause(Duration.ofNanos(Math.min(left, poll.toNanos())))) {
                throw new Recoverable("transaction " + receipt.getTransactionHash() + " mined but not "
                        + requiredConfirmations + " blocks deep in time", receipt.getTransactionHash(), true);
            }
            poll = next(poll);
        }
        EthGetTransactionReceipt again = web3j.ethGetTransactionReceipt(receipt.getTransactionHash()).send();
        boolean stillThere = !again.hasError() && again.getTransactionReceipt()
                .map(r -> r.getBlockHash().equals(receipt.getBlockHash())).orElse(false);
        if (!stillThere) {
            throw new Recoverable("transaction " + receipt.getTransactionHash() + " left its block (re-org)",
                    receipt.getTransactionHash(), true);
        }
    }

    private static Duration next(Duration poll) {
        Duration doubled = poll.multipliedBy(2);
        return doubled.compareTo(MAX_POLL) > 0 ? MAX_POLL : doubled;
    }

    static boolean pause(Duration d) {
        try {
            Thread.sleep(Math.max(0, d.toMillis()), (int) (d.toNanos() % 1_000_000));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
