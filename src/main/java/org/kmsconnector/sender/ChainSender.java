package org.kmsconnector.sender;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import org.kmsconnector.chain.TxSigner;
import org.kmsconnector.sender.SendFailure.Recoverable;
import org.kmsconnector.sender.SendFailure.Refused;
import org.kmsconnector.sender.SendFailure.Released;
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
import org.web3j.protocol.core.methods.response.EthMaxPriorityFeePerGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.ClientConnectionException;
import org.web3j.utils.Numeric;

/**
 * Sends responses to one chain from one wallet, in steps the send route names (see
 * routes/tx-sender/response.camel.yaml): settle what an earlier pick of the response sent, then
 * tries of sign-and-send and await-receipt until one is mined, refused, or the tries
 * ({@code txRetries}) run out. Each try: a fresh gas estimate (from the signer) times the
 * multiplier, EIP-1559 fees, a nonce from the {@link NonceManager}, the transaction written to the
 * response's {@link TxJournal} before the node sees it, the receipt awaited for at most the receipt
 * timeout and the required confirmations. How this differs from the original: docs/operations.md.
 * No step throws; every RPC is bounded by the Web3j client's call timeout (see Web3jClients).
 */
public final class ChainSender {
    private static final Logger LOG = LoggerFactory.getLogger(ChainSender.class);

    private final Web3j web3j;
    private final TxSigner signer;
    private final long chainId;
    private final NonceManager nonces;
    private final int gasMultiplierPercent;
    private final int txRetries;
    private final Duration txRetryInterval;
    private final ReceiptWatcher receipts;
    private final EarlierTransactions earlier;
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
        this.receipts = new ReceiptWatcher(web3j, receiptTimeout, requiredConfirmations);
        this.earlier = new EarlierTransactions(web3j, receipts, signer.address());
        this.tracer = new RevertTracer(web3j, traceRevertedTx);
    }

    public String signerAddress() {
        return signer.address();
    }

    /**
     * What an earlier pick of the response sent, settled before anything new is sent: one mined
     * means done; one still pending is awaited first (and replaced under its nonce if need be); a
     * reverted or lost one means send anew. While its fate is unknown nothing is sent.
     */
    public SendAttempt settleEarlier(SendAttempt a) {
        PriorSend prior = a.prior();
        if (!a.isSending() || prior.isEmpty()) {
            return a;
        }
        try {
            EarlierTransactions.Finding finding = earlier.check(prior);
            if (finding instanceof EarlierTransactions.Mined m && m.receipt().isStatusOK()) {
                LOG.info("{}: transaction {} of an earlier attempt is mined; nothing to send", a.what(),
                        m.receipt().getTransactionHash());
                a.end(settle(m.inFlight(), m.receipt()));
            } else if (finding instanceof EarlierTransactions.Pending p) {
                LOG.info("{}: transaction {} of an earlier attempt is still pending; waiting for it", a.what(),
                        p.inFlight().lastHash());
                a.inFlight = p.inFlight();
                a.awaitFirst = true;
            } else if (finding instanceof EarlierTransactions.Mined m) {
                LOG.info("{}: transaction {} of an earlier attempt reverted; sending anew", a.what(),
                        m.receipt().getTransactionHash());
            } else {
                LOG.info("{}: the earlier attempt's transaction cannot be mined ({}); sending anew", a.what(),
                        ((EarlierTransactions.Lost) finding).why());
                nonces.reset(); // a dropped transaction may have left a gap at its nonce: re-read
            }
        } catch (IOException | ClientConnectionException e) {
            a.end(SendResult.backendGone(prior.lastHash(), "node unreachable: " + describe(e)));
        } catch (Recoverable | RuntimeException e) {
            a.end(SendResult.retry(prior.lastHash(), "cannot check the earlier transaction " + prior.lastHash()
                    + ": " + e.getMessage()));
        }
        return a;
    }

    /**
     * One try: after the first, a pause of tx_retry_interval and a look for a mined transaction of
     * the response; then, unless an earlier pick's transaction is awaited first, a transaction
     * (or its replacement under the same nonce) signed, journalled and handed to the node.
     */
    public SendAttempt signAndSend(SendAttempt a) {
        if (!a.isSending()) {
            return a;
        }
        a.tries++;
        a.awaiting = false;
        if (a.tries > 1 && !ReceiptWatcher.pause(txRetryInterval)) {
            a.end(giveUp(a));
            return a;
        }
        try {
            if (a.inFlight != null) {
                Optional<TransactionReceipt> mined = receipts.any(a.inFlight);
                if (mined.isPresent()) {
                    a.end(settle(a.inFlight, mined.get()));
                    return a;
                }
            }
            if (!a.awaitFirst) {
                a.inFlight = sendOnce(a.to(), a.calldata(), a.inFlight, a.gasFloor, a.journal());
            }
            a.awaitFirst = false;
            a.awaiting = true;
        } catch (IOException | SendFailure | RuntimeException e) {
            tryFailed(a, e);
        }
        return a;
    }

    /** The receipt of what this try sent (or found pending), within the receipt timeout and the confirmations. */
    public SendAttempt awaitReceipt(SendAttempt a) {
        if (!a.isSending() || !a.awaiting) {
            return a;
        }
        try {
            a.end(settle(a.inFlight, receipts.await(a.inFlight)));
        } catch (IOException | SendFailure | RuntimeException e) {
            tryFailed(a, e);
        }
        return a;
    }

    /** How a failed try ends the attempt, or leaves it to the next try. */
    private void tryFailed(SendAttempt a, Exception e) {
        a.awaiting = false;
        String lastHash = InFlight.lastHash(a.inFlight);
        if (e instanceof Refused) {
            a.end(earlierLanded(a.inFlight).orElse(SendResult.failed(lastHash, e.getMessage())));
        } else if (e instanceof Released) {
            a.end(SendResult.retry(lastHash, e.getMessage()));
        } else if (e instanceof Recoverable r) {
            String hash = r.txHash != null ? r.txHash : lastHash;
            a.inFlight = r.keep ? a.inFlight : null;
            if (r.outOfGasAt != null) {
                a.gasFloor = r.outOfGasAt.multiply(BigInteger.valueOf(3)).divide(BigInteger.TWO);
            }
            a.last = SendResult.retry(hash, r.getMessage());
            LOG.info("{}: attempt {}/{} failed, recoverable: {}", a.what(), a.tries, txRetries, r.getMessage());
        } else if (e instanceof IOException || e instanceof ClientConnectionException) {
            a.end(SendResult.backendGone(lastHash, "node unreachable: " + describe(e)));
        } else {
            // a malformed node answer or a bug: keep what may be in flight and try again
            a.last = SendResult.retry(lastHash, "unexpected: " + describe(e));
            LOG.warn("{}: attempt {}/{} failed unexpectedly", a.what(), a.tries, txRetries, e);
        }
        if (a.isSending() && a.tries >= txRetries) {
            a.end(giveUp(a));
        }
    }

    /** Out of tries: one last look, in case a transaction of this response was mined meanwhile. */
    private SendResult giveUp(SendAttempt a) {
        return earlierLanded(a.inFlight).orElse(a.last != null ? a.last
                : SendResult.retry(InFlight.lastHash(a.inFlight), "interrupted before sending"));
    }

    /** Estimate, fees, nonce, sign, journal, send: one transaction handed to the node. */
    private InFlight sendOnce(String to, byte[] calldata, InFlight inFlight, BigInteger gasFloor, TxJournal journal)
            throws IOException, SendFailure {
        String data = Numeric.toHexString(calldata);
        // a replacement keeps the gas of the transaction it replaces: an estimate now would run on
        // the pending state, which already holds that transaction, and revert "already signed"
        BigInteger gas = inFlight != null ? inFlight.lastGas()
                : estimateGas(to, data).multiply(BigInteger.valueOf(gasMultiplierPercent))
                        .divide(BigInteger.valueOf(100)).max(gasFloor);
        InFlight.Fees fees = fees(inFlight);
        boolean fresh = inFlight == null;
        // an earlier transaction that may still be mined keeps its nonce: the new one replaces it
        BigInteger nonce = fresh ? nonces.next() : inFlight.nonce;
        String hash;
        try {
            RawTransaction tx = RawTransaction.createTransaction(chainId, nonce, gas, to, BigInteger.ZERO, data,
                    fees.priority(), fees.max());
            String signed = Numeric.toHexString(signer.sign(tx, chainId));
            hash = Hash.sha3(signed);
            record(journal, nonce, hash, inFlight);
            EthSendTransaction sent = web3j.ethSendRawTransaction(signed).send();
            if (sent.hasError()) {
                RevertClassifier.Verdict verdict = classify(sent.getError());
                if (verdict.irrecoverable()) {
                    throw new Refused("eth_sendRawTransaction: " + verdict.description());
                }
                // not accepted: an earlier transaction of this response (if any) is still the one to watch
                throw new Recoverable("eth_sendRawTransaction: " + verdict.description(),
                        InFlight.lastHash(inFlight), !fresh);
            }
        } catch (IOException | RuntimeException | SendFailure e) {
            if (fresh) {
                nonces.failed(nonce); // a send that may not have reached the node re-reads the count
            }
            if (e instanceof IOException || e instanceof ClientConnectionException || e instanceof SendFailure) {
                throw e;
            }
            throw new Recoverable("signing or sending failed: " + describe(e), InFlight.lastHash(inFlight), !fresh);
        }
        if (fresh) {
            nonces.sent(nonce);
        }
        InFlight next = inFlight != null ? inFlight : new InFlight(nonce);
        next.add(hash, gas, fees);
        return next;
    }

    /** Writes the transaction down before it exists anywhere else; without that it is not sent. */
    private static void record(TxJournal journal, BigInteger nonce, String hash, InFlight inFlight)
            throws Released, Recoverable {
        boolean ours;
        try {
            ours = journal.beforeBroadcast(nonce, hash);
        } catch (Exception e) {
            throw new Recoverable("cannot record transaction " + hash + " before sending it: " + e.getMessage(),
                    InFlight.lastHash(inFlight), inFlight != null);
        }
        if (!ours) {
            throw new Released("the response's row is no longer under_process (released by the recovery job);"
                    + " nothing sent");
        }
    }

    private BigInteger estimateGas(String to, String data) throws IOException, SendFailure {
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
    private InFlight.Fees fees(InFlight inFlight) throws IOException, Recoverable {
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
            InFlight.Fees previous = inFlight.lastFees();
            priority = priority.max(bumped(previous.priority()));
            max = max.max(bumped(previous.max())).max(priority);
        }
        return new InFlight.Fees(priority, max);
    }

    private static BigInteger bumped(BigInteger fee) {
        return fee.add(fee.shiftRight(3)).add(BigInteger.ONE);
    }

    /** A mined receipt: success after the confirmations, or a recoverable revert with its reason. */
    private SendResult settle(InFlight inFlight, TransactionReceipt receipt) throws IOException, Recoverable {
        String hash = receipt.getTransactionHash();
        if (!receipt.isStatusOK()) {
            BigInteger limit = inFlight.gasOf(hash);
            boolean outOfGas = limit != null && receipt.getGasUsed().compareTo(limit) >= 0;
            throw new Recoverable("transaction " + hash + " reverted (gas used " + receipt.getGasUsed()
                    + (limit != null ? " of limit " + limit : "") + "): " + tracer.reason(hash), hash, false,
                    outOfGas ? limit : null);
        }
        receipts.awaitConfirmations(receipt);
        return SendResult.sent(hash, receipt.getGasUsed().longValue());
    }

    /** After a refusal or the last attempt: did a transaction of this response land meanwhile? */
    private Optional<SendResult> earlierLanded(InFlight inFlight) {
        if (inFlight == null) {
            return Optional.empty();
        }
        try {
            Optional<TransactionReceipt> mined = receipts.any(inFlight);
            if (mined.isPresent() && mined.get().isStatusOK()) {
                return Optional.of(settle(inFlight, mined.get()));
            }
        } catch (IOException | Recoverable | RuntimeException e) {
            LOG.debug("could not settle an earlier transaction: {}", e.getMessage());
        }
        return Optional.empty();
    }

    private static RevertClassifier.Verdict classify(Response.Error error) {
        return RevertClassifier.classify(error.getMessage(), error.getData());
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
