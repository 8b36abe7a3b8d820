package org.kmsconnector.sender;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.chain.TxSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.EthMaxPriorityFeePerGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.ClientConnectionException;
import org.web3j.utils.Numeric;

/**
 * Sends transactions to one chain from one wallet, the way the original tx-sender does: per
 * attempt a fresh gas estimate (from the signer) times the multiplier, EIP-1559 fees, a nonce from
 * the {@link NonceManager}, then the receipt, awaited for at most the receipt timeout and the
 * required confirmations. Only recoverable errors are retried, up to {@code txRetries} attempts.
 *
 * <p>Two deliberate differences from the original:
 * <ul>
 *   <li><b>One response, one transaction.</b> After a receipt timeout the original sends a new
 *       transaction with a new nonce while the first may still be mined; the second then reverts
 *       "already signed" and the response is failed although it landed. Here the next attempt
 *       first looks the earlier transaction up by hash; if it is not mined yet, it replaces it
 *       under the <em>same nonce</em> with higher fees and the same gas, so at most one of them
 *       can be mined.</li>
 *   <li><b>An unreachable node does not stop the service.</b> The original cancels the whole
 *       tx-sender on a lost connection. Here the send ends as {@code BACKEND_GONE} at once (not
 *       retried within the send: a node that is down is not back after tx_retry_interval, and a
 *       hung one would hold the task for another call timeout per attempt); the row goes back to
 *       pending and is picked again on a later poll, while other rows carry on.</li>
 * </ul>
 *
 * <p>Known limit: what is in flight is remembered only within one {@code send}. A transaction
 * whose fate is still unknown when the attempts run out (node gone, last receipt timeout) is
 * forgotten; if it is mined later, the next pick of the row is refused "already signed" and the
 * row ends failed, as in the original.
 *
 * <p>Every RPC is bounded by the Web3j client's call timeout (see {@code Web3jClients}).
 */
public final class ChainSender {
    private static final Logger LOG = LoggerFactory.getLogger(ChainSender.class);
    private static final Duration FIRST_POLL = Duration.ofMillis(50);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    private final Web3j web3j;
    private final TxSigner signer;
    private final long chainId;
    private final NonceManager nonces;
    private final int gasMultiplierPercent;
    private final int txRetries;
    private final Duration txRetryInterval;
    private final Duration receiptTimeout;
    private final long requiredConfirmations;
    private final RevertTracer tracer;

    public ChainSender(Web3j web3j, TxSigner signer, long chainId, NonceManager nonces, int gasMultiplierPercent,
            int txRetries, Duration txRetryInterval, Duration receiptTimeout, long requiredConfirmations,
            boolean traceRevertedTx) {
        if (txRetries < 1) {
            throw new IllegalArgumentException("txRetries must be at least 1");
        }
        this.web3j = web3j;
        this.signer = signer;
        this.chainId = chainId;
        this.nonces = nonces;
        this.gasMultiplierPercent = gasMultiplierPercent;
        this.txRetries = txRetries;
        this.txRetryInterval = txRetryInterval;
        this.receiptTimeout = receiptTimeout;
        this.requiredConfirmations = requiredConfirmations;
        this.tracer = new RevertTracer(web3j, traceRevertedTx);
    }

    public String signerAddress() {
        return signer.address();
    }

    /**
     * Sends {@code calldata} to {@code to} until it is mined, refused, or the attempts run out.
     * Never throws.
     *
     * @param what names the operation in logs, e.g. "public decryption response 0x…"
     */
    public SendResult send(String to, byte[] calldata, String what) {
        InFlight inFlight = null;
        SendResult last = null;
        for (int attempt = 1; attempt <= txRetries; attempt++) {
            if (attempt > 1 && !pause(txRetryInterval)) {
                break;
            }
            try {
                if (inFlight != null) {
                    Optional<TransactionReceipt> mined = anyReceipt(inFlight);
                    if (mined.isPresent()) {
                        return settle(inFlight, mined.get(), System.nanoTime() + receiptTimeout.toNanos());
                    }
                }
                inFlight = sendOnce(to, calldata, inFlight);
                return settle(inFlight, awaitReceipt(inFlight), System.nanoTime() + receiptTimeout.toNanos());
            } catch (Refused e) {
                Optional<SendResult> landed = earlierLanded(inFlight);
                if (landed.isPresent()) {
                    return landed.get();
                }
                return SendResult.failed(lastHash(inFlight), e.getMessage());
            } catch (Recoverable e) {
                String hash = e.txHash != null ? e.txHash : lastHash(inFlight);
                inFlight = e.keep ? inFlight : null;
                last = SendResult.retry(hash, e.getMessage());
                LOG.info("{}: attempt {}/{} failed, recoverable: {}", what, attempt, txRetries, e.getMessage());
            } catch (IOException | ClientConnectionException e) {
                return SendResult.backendGone(lastHash(inFlight), "node unreachable: " + describe(e));
            } catch (RuntimeException e) {
                // a malformed node answer or a bug: keep what may be in flight and try again
                last = SendResult.retry(lastHash(inFlight), "unexpected: " + describe(e));
                LOG.warn("{}: attempt {}/{} failed unexpectedly", what, attempt, txRetries, e);
            }
        }
        // out of attempts: one last look, in case a transaction of this response was mined meanwhile
        Optional<SendResult> landed = earlierLanded(inFlight);
        if (landed.isPresent()) {
            return landed.get();
        }
        return last != null ? last : SendResult.retry(lastHash(inFlight), "interrupted before sending");
    }

    /** Estimate, fees, nonce, sign, send: one transaction handed to the node. */
    private InFlight sendOnce(String to, byte[] calldata, InFlight inFlight) throws IOException, Refused, Recoverable {
        String data = Numeric.toHexString(calldata);
        // a replacement keeps the gas of the transaction it replaces: an estimate now would run on
        // the pending state, which already holds that transaction, and revert "already signed"
        BigInteger gas = inFlight != null ? inFlight.lastGas()
                : estimateGas(to, data).multiply(BigInteger.valueOf(gasMultiplierPercent))
                        .divide(BigInteger.valueOf(100));
        Fees fees = fees(inFlight);
        BigInteger nonce;
        String hash;
        try {
            // an earlier transaction that may still be mined keeps its nonce: the new one replaces it
            nonce = inFlight != null ? inFlight.nonce : nonces.next();
            RawTransaction tx = RawTransaction.createTransaction(chainId, nonce, gas, to, BigInteger.ZERO, data,
                    fees.priority, fees.max);
            String signed = Numeric.toHexString(signer.sign(tx, chainId));
            hash = Hash.sha3(signed);
            EthSendTransaction sent = web3j.ethSendRawTransaction(signed).send();
            if (sent.hasError()) {
                nonces.reset();
                RevertClassifier.Verdict verdict = classify(sent.getError());
                if (verdict.irrecoverable()) {
                    throw new Refused("eth_sendRawTransaction: " + verdict.description());
                }
                // not accepted: an earlier transaction of this response (if any) is still the one to watch
                throw new Recoverable("eth_sendRawTransaction: " + verdict.description(), lastHash(inFlight),
                        inFlight != null);
            }
        } catch (IOException | RuntimeException e) {
            nonces.reset();
            if (e instanceof IOException || e instanceof ClientConnectionException) {
                throw e;
            }
            throw new Recoverable("signing or sending failed: " + describe(e), lastHash(inFlight), inFlight != null);
        }
        InFlight next = inFlight != null ? inFlight : new InFlight(nonce);
        next.add(hash, gas, fees);
        return next;
    }

    private BigInteger estimateGas(String to, String data) throws IOException, Refused, Recoverable {
        EthEstimateGas estimate = web3j.ethEstimateGas(
                Transaction.createEthCallTransaction(signer.address(), to, data)).send();
        if (estimate.hasError()) {
            RevertClassifier.Verdict verdict = classify(estimate.getError());
            if (verdict.irrecoverable()) {
                throw new Refused("eth_estimateGas reverted: " + verdict.description());
            }
            throw new Recoverable("eth_estimateGas failed: " + verdict.description(), null, true);
        }
        return estimate.getAmountUsed();
    }

    /** EIP-1559 fees: node tip, max fee 2 x base + tip; a replacement pays at least 1/8 more of each. */
    private Fees fees(InFlight inFlight) throws IOException, Recoverable {
        EthMaxPriorityFeePerGas tip = web3j.ethMaxPriorityFeePerGas().send();
        if (tip.hasError()) {
            throw new Recoverable("eth_maxPriorityFeePerGas failed: " + tip.getError().getMessage(), null, true);
        }
        EthBlock latest = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send();
        if (latest.hasError() || latest.getBlock() == null || latest.getBlock().getBaseFeePerGasRaw() == null) {
            throw new Recoverable("latest block has no base fee"
                    + (latest.hasError() ? ": " + latest.getError().getMessage() : ""), null, true);
        }
        BigInteger priority = tip.getMaxPriorityFeePerGas();
        BigInteger max = latest.getBlock().getBaseFeePerGas().multiply(BigInteger.TWO).add(priority);
        if (inFlight != null) {
            Fees previous = inFlight.lastFees();
            priority = priority.max(bumped(previous.priority));
            max = max.max(bumped(previous.max)).max(priority);
        }
        return new Fees(priority, max);
    }

    private static BigInteger bumped(BigInteger fee) {
        return fee.add(fee.shiftRight(3)).add(BigInteger.ONE);
    }

    /** Polls the receipts of the in-flight transactions (usually one) until one is mined or time is up. */
    private TransactionReceipt awaitReceipt(InFlight inFlight) throws IOException, Recoverable {
        long deadline = System.nanoTime() + receiptTimeout.toNanos();
        Duration poll = FIRST_POLL;
        while (true) {
            Optional<TransactionReceipt> receipt = anyReceipt(inFlight);
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
            poll = poll.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : poll.multipliedBy(2);
        }
    }

    private Optional<TransactionReceipt> anyReceipt(InFlight inFlight) throws IOException, Recoverable {
        for (Sent sent : inFlight.sent) {
            EthGetTransactionReceipt r = web3j.ethGetTransactionReceipt(sent.hash).send();
            if (r.hasError()) {
                throw new Recoverable("eth_getTransactionReceipt failed: " + r.getError().getMessage(), sent.hash,
                        true);
            }
            if (r.getTransactionReceipt().isPresent()) {
                return r.getTransactionReceipt();
            }
        }
        return Optional.empty();
    }

    /** A mined receipt: success after the confirmations, or a recoverable revert with its reason. */
    private SendResult settle(InFlight inFlight, TransactionReceipt receipt, long deadline)
            throws IOException, Recoverable {
        String hash = receipt.getTransactionHash();
        if (!receipt.isStatusOK()) {
            BigInteger limit = inFlight.gasOf(hash);
            throw new Recoverable("transaction " + hash + " reverted (gas used " + receipt.getGasUsed()
                    + (limit != null ? " of limit " + limit : "") + "): " + tracer.reason(hash), hash, false);
        }
        if (requiredConfirmations > 0) {
            awaitConfirmations(inFlight, receipt, deadline);
        }
        return SendResult.sent(hash, receipt.getGasUsed().longValue());
    }

    private void awaitConfirmations(InFlight inFlight, TransactionReceipt receipt, long deadline)
            throws IOException, Recoverable {
        BigInteger target = receipt.getBlockNumber().add(BigInteger.valueOf(requiredConfirmations));
        Duration poll = FIRST_POLL;
        while (web3j.ethBlockNumber().send().getBlockNumber().compareTo(target) < 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !pause(Duration.ofNanos(Math.min(left, poll.toNanos())))) {
                throw new Recoverable("transaction " + receipt.getTransactionHash() + " mined but not "
                        + requiredConfirmations + " blocks deep in time", receipt.getTransactionHash(), true);
            }
            poll = poll.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : poll.multipliedBy(2);
        }
        EthGetTransactionReceipt again = web3j.ethGetTransactionReceipt(receipt.getTransactionHash()).send();
        boolean stillThere = !again.hasError() && again.getTransactionReceipt()
                .map(r -> r.getBlockHash().equals(receipt.getBlockHash())).orElse(false);
        if (!stillThere) {
            throw new Recoverable("transaction " + receipt.getTransactionHash() + " left its block (re-org)",
                    receipt.getTransactionHash(), true);
        }
    }

    /** After a refusal: did an earlier transaction of this response land meanwhile? */
    private Optional<SendResult> earlierLanded(InFlight inFlight) {
        if (inFlight == null) {
            return Optional.empty();
        }
        try {
            Optional<TransactionReceipt> mined = anyReceipt(inFlight);
            if (mined.isPresent() && mined.get().isStatusOK()) {
                return Optional.of(settle(inFlight, mined.get(), System.nanoTime() + receiptTimeout.toNanos()));
            }
        } catch (IOException | Recoverable | RuntimeException e) {
            LOG.debug("could not settle an earlier transaction: {}", e.getMessage());
        }
        return Optional.empty();
    }

    private static RevertClassifier.Verdict classify(Response.Error error) {
        return RevertClassifier.classify(error.getMessage(), error.getData());
    }

    private static String lastHash(InFlight inFlight) {
        return inFlight == null ? null : inFlight.lastHash();
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static boolean pause(Duration d) {
        try {
            Thread.sleep(Math.max(0, d.toMillis()), (int) (d.toNanos() % 1_000_000));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record Fees(BigInteger priority, BigInteger max) {}

    private record Sent(String hash, BigInteger gas, Fees fees) {}

    /** The transactions sent for one response under one nonce; at most one of them can be mined. */
    private static final class InFlight {
        final BigInteger nonce;
        final List<Sent> sent = new ArrayList<>();

        InFlight(BigInteger nonce) {
            this.nonce = nonce;
        }

        void add(String hash, BigInteger gas, Fees fees) {
            sent.add(new Sent(hash, gas, fees));
        }

        String lastHash() {
            return sent.isEmpty() ? null : sent.get(sent.size() - 1).hash;
        }

        Fees lastFees() {
            return sent.get(sent.size() - 1).fees;
        }

        BigInteger lastGas() {
            return sent.get(sent.size() - 1).gas;
        }

        BigInteger gasOf(String hash) {
            return sent.stream().filter(s -> s.hash.equalsIgnoreCase(hash)).map(Sent::gas).findFirst().orElse(null);
        }
    }

    /** The contract refused the transaction for good. */
    private static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Worth another attempt; {@code keep} says whether the in-flight transactions may still be mined. */
    private static final class Recoverable extends Exception {
        final String txHash;
        final boolean keep;

        Recoverable(String reason, String txHash, boolean keep) {
            super(reason, null, false, false);
            this.txHash = txHash;
            this.keep = keep;
        }
    }
}
