package org.kmsconnector.sender;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards one claimed decryption response row (public or user, as its kind says) to the
 * Gateway's Decryption contract and records how it ended: completed, back to pending
 * (recoverable, node gone) or failed (refused by the contract, or a row that cannot be sent at
 * all). Called by the route once per row; it never throws, so one bad row cannot disturb the
 * others. Both kinds share one {@link ChainSender}, hence one nonce sequence.
 */
public final class DecryptionResponseSender {
    private static final Logger LOG = LoggerFactory.getLogger(DecryptionResponseSender.class);

    private final DecryptionResponseKind kind;
    private final String responseType;
    private final ChainSender gateway;
    private final String decryptionAddress;
    private final ResponseOutcomes outcomes;
    private final ConnectorMetrics metrics;

    public DecryptionResponseSender(DecryptionResponseKind kind, ChainSender gateway, String decryptionAddress,
            ResponseOutcomes outcomes, ConnectorMetrics metrics) {
        this.kind = kind;
        this.responseType = kind.responseType();
        this.gateway = gateway;
        this.decryptionAddress = decryptionAddress;
        this.outcomes = outcomes;
        this.metrics = metrics;
    }

    public void send(Map<String, Object> row) {
        metrics.increment(Metrics.SENDER_RECEIVED, "response_type", responseType);
        DecryptionResponseRow response;
        try {
            response = DecryptionResponseRow.fromRow(row, kind.payloadColumn());
            requirePresent(response);
        } catch (RuntimeException e) {
            rejectMalformed(row, e);
            return;
        }
        String id = "0x" + response.decryptionId().toString(16);
        String what = kind.label() + " " + id;
        SendResult result;
        long started = System.nanoTime();
        try {
            byte[] calldata = kind.calldata().build(response.decryptionId(), response.payload(), response.signature(),
                    response.extraData());
            result = gateway.send(decryptionAddress, calldata, what, response.prior(),
                    outcomes.journal(response.rowId()));
        } catch (RuntimeException e) {
            result = SendResult.retry(null, "unexpected: " + e);
            LOG.error("{}: unexpected failure while sending", what, e);
        }
        metrics.recordSeconds(Metrics.SENDER_TX_DURATION, Duration.ofNanos(System.nanoTime() - started),
                "response_type", responseType, "outcome", result.kind().name().toLowerCase(java.util.Locale.ROOT));
        if (result.gasUsed() > 0) {
            metrics.recordGas(Metrics.SENDER_GAS_USED, result.gasUsed(), "response_type", responseType);
        }
        record(response, id, result, row.get("created_at"));
    }

    private void record(DecryptionResponseRow response, String id, SendResult result, Object createdAt) {
        try {
            boolean changed = switch (result.kind()) {
                case SENT -> outcomes.completed(response.rowId());
                case RETRY, BACKEND_GONE -> outcomes.backToPending(response.rowId(), result.reason());
                case FAILED -> outcomes.failed(response.rowId(), result.reason());
            };
            switch (result.kind()) {
                case SENT -> {
                    metrics.increment(Metrics.SENDER_TX_SENT, "response_type", responseType);
                    observeLatency(createdAt);
                    LOG.info("{} {} sent in tx {} (gas used {}); row completed", kind.label(), id, result.txHash(),
                            result.gasUsed());
                }
                case RETRY -> LOG.warn("{} {} not sent, back to pending: {}", kind.label(), id, result.reason());
                case BACKEND_GONE -> LOG.warn("{} {} not sent, Gateway node unreachable, back to pending: {}",
                        kind.label(), id, result.reason());
                case FAILED -> {
                    metrics.increment(Metrics.SENDER_TX_ERRORS, "response_type", responseType);
                    LOG.error("{} {} refused by the Gateway, row failed: {}", kind.label(), id, result.reason());
                }
            }
            if (!changed) {
                LOG.warn("{} {}: row was no longer under_process; status left as is", kind.label(), id);
            }
        } catch (SQLException | RuntimeException e) {
            // the row stays under_process; the recovery job makes it pending again later
            LOG.error("{} {} ended {} but its status could not be written: {}", kind.label(), id, result.kind(),
                    e.getMessage());
        }
    }

    private void rejectMalformed(Map<String, Object> row, RuntimeException problem) {
        metrics.increment(Metrics.SENDER_RECEIVED_ERRORS, "response_type", responseType);
        Object rawId = row == null ? null : row.get("decryption_id");
        if (!(rawId instanceof byte[] idBytes)) {
            LOG.error("{} row without a usable decryption_id ({}); cannot mark it", kind.label(),
                    problem.getMessage());
            return;
        }
        String id = Hex.prefixed(idBytes);
        String reason = "malformed row: " + problem.getMessage();
        try {
            outcomes.failed(idBytes, reason);
            LOG.error("{} row {} (LE bytes) is malformed, row failed: {}", kind.label(), id, reason);
        } catch (SQLException | RuntimeException e) {
            LOG.error("{} row {} (LE bytes) is malformed ({}) and could not be marked: {}", kind.label(), id, reason,
                    e.getMessage());
        }
    }

    private void requirePresent(DecryptionResponseRow r) {
        if (r.payload() == null || r.signature() == null || r.extraData() == null) {
            throw new IllegalArgumentException(kind.payloadColumn() + ", signature and extra_data are required");
        }
    }

    private void observeLatency(Object createdAt) {
        Instant created = createdAt instanceof Timestamp t ? t.toInstant()
                : createdAt instanceof OffsetDateTime o ? o.toInstant()
                : createdAt instanceof Instant i ? i : null;
        if (created != null) {
            Duration age = Duration.between(created, Instant.now());
            metrics.recordLatency(Metrics.SENDER_LATENCY, "response_type", responseType, age.isNegative() ? Duration.ZERO : age);
        }
    }
}
