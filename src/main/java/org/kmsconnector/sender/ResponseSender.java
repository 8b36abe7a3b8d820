package org.kmsconnector.sender;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.kmsconnector.db.ClaimedRow;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.db.ResponseWrites;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first and last steps of the send route of one kind of response: the claimed row becomes a
 * call to its chain ({@link #build}); once the chain sender's steps end it, how it ended is
 * written under the status guard ({@link #record}): completed, back to pending (recoverable, node
 * gone) or failed (refused by the contract, or a row that cannot be sent at all). Never throws,
 * so one bad row cannot disturb the others.
 */
public final class ResponseSender {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseSender.class);

    private final ResponseCall call;
    private final OperationKind kind;
    private final String responseType;
    private final ResponseWrites writes;
    private final ConnectorMetrics metrics;

    public ResponseSender(ResponseCall call, ResponseWrites writes, ConnectorMetrics metrics) {
        this.call = call;
        this.kind = call.kind();
        this.responseType = kind.responseType();
        this.writes = writes;
        this.metrics = metrics;
    }

    /** The row's calldata, and what an earlier pick of it sent. */
    public SendAttempt build(Map<String, Object> values) {
        metrics.increment(Metrics.SENDER_RECEIVED, "response_type", responseType);
        ClaimedRow row = new ClaimedRow(writes.table(), values);
        String what = kind.responseLabel() + " " + row.describeKey();
        try {
            byte[] key = row.key();
            return SendAttempt.of(row, what, call.contract(), call.calldata().build(row), PriorSend.from(row),
                    (nonce, txHash) -> writes.transactionSent(key, nonce, txHash));
        } catch (RuntimeException e) {
            metrics.increment(Metrics.SENDER_RECEIVED_ERRORS, "response_type", responseType);
            return SendAttempt.malformed(row, what, e.getMessage());
        }
    }

    public void record(SendAttempt a) {
        SendResult result = a.result() != null ? a.result() : SendResult.retry(null, "send ended without a result");
        if (!a.isMalformed()) {
            metrics.recordSeconds(Metrics.SENDER_TX_DURATION, a.elapsed(), "response_type", responseType, "outcome",
                    result.kind().name().toLowerCase(Locale.ROOT));
        }
        if (result.gasUsed() > 0) {
            metrics.recordGas(Metrics.SENDER_GAS_USED, result.gasUsed(), "response_type", responseType);
        }
        byte[] key = a.row().keyOrNull();
        if (key == null) {
            LOG.error("{} row without a usable {} ({}); cannot mark it", kind.responseLabel(),
                    writes.table().key(), result.reason());
            return;
        }
        try {
            boolean changed = switch (result.kind()) {
                case SENT -> writes.completed(key);
                case RETRY, BACKEND_GONE -> writes.backToPending(key, result.reason());
                case FAILED -> writes.failed(key, result.reason());
            };
            log(a, result);
            if (!changed) {
                LOG.warn("{}: row was no longer under_process; status left as is", a.what());
            }
        } catch (SQLException | RuntimeException e) {
            // the row stays under_process; the recovery job makes it pending again later
            LOG.error("{} ended {} but its status could not be written: {}", a.what(), result.kind(), e.getMessage());
        }
    }

    private void log(SendAttempt a, SendResult result) {
        switch (result.kind()) {
            case SENT -> {
                metrics.increment(Metrics.SENDER_TX_SENT, "response_type", responseType);
                Duration age = Duration.between(a.row().createdAt(), Instant.now());
                metrics.recordLatency(Metrics.SENDER_LATENCY, "response_type", responseType,
                        age.isNegative() ? Duration.ZERO : age);
                LOG.info("{} sent in tx {} (gas used {}); row completed", a.what(), result.txHash(), result.gasUsed());
            }
            case RETRY -> LOG.warn("{} not sent, back to pending: {}", a.what(), result.reason());
            case BACKEND_GONE -> LOG.warn("{} not sent, node unreachable, back to pending: {}", a.what(),
                    result.reason());
            case FAILED -> {
                if (a.isMalformed()) {
                    LOG.error("{} is malformed, row failed: {}", a.what(), result.reason());
                } else {
                    metrics.increment(Metrics.SENDER_TX_ERRORS, "response_type", responseType);
                    LOG.error("{} refused by the contract, row failed: {}", a.what(), result.reason());
                }
            }
        }
    }
}
