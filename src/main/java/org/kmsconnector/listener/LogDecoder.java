package org.kmsconnector.listener;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Turns one chain's logs into events. A log that does not decode is logged with its block and
 * index, counted, and skipped: one malformed log must not hold back the rest of the range.
 */
public abstract class LogDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(LogDecoder.class);

    private final String chain;
    private final ConnectorMetrics metrics;

    /** @param chain names the chain's contracts in logs, e.g. "Decryption" */
    protected LogDecoder(String chain, ConnectorMetrics metrics) {
        this.chain = chain;
        this.metrics = metrics;
    }

    public List<ChainEvent> decode(List<Log> logs) {
        List<ChainEvent> events = new ArrayList<>(logs.size());
        for (Log log : logs) {
            String topic0 = log.getTopics().isEmpty() ? "" : log.getTopics().get(0).toLowerCase();
            try {
                Optional<ChainEvent> event = decodeOne(topic0, log);
                event.ifPresent(e -> {
                    events.add(e);
                    received(e.kind().eventType());
                });
            } catch (RuntimeException e) {
                LOG.error("Skipping malformed {} log at block {} index {} (tx {}): {}", chain, log.getBlockNumber(),
                        log.getLogIndex(), log.getTransactionHash(), e.getMessage());
                metrics.increment(Metrics.LISTENER_MALFORMED, "topic0", topic0);
            }
        }
        return events;
    }

    /**
     * The event of one log, or empty for a log that is recognised and deliberately not stored.
     *
     * @throws RuntimeException when the log does not decode
     */
    protected abstract Optional<ChainEvent> decodeOne(String topic0, Log log);

    /** Counts an event of that type as received (stored or deliberately not). */
    protected final void received(String eventType) {
        metrics.increment(Metrics.LISTENER_EVENTS, "event_type", eventType);
    }

    /** A uint256 from an indexed topic. */
    static BigInteger indexedId(Log log, int topic, int expectedTopics) {
        if (log.getTopics().size() != expectedTopics) {
            throw new IllegalArgumentException("expected " + expectedTopics + " topics, got " + log.getTopics().size());
        }
        byte[] id = Hex.decode(log.getTopics().get(topic));
        if (id.length != 32) {
            throw new IllegalArgumentException("topic" + topic + " is not a 32-byte id");
        }
        return new BigInteger(1, id);
    }

    static void requireTopics(Log log, int expected) {
        if (log.getTopics().size() != expected) {
            throw new IllegalArgumentException("expected " + expected + " topics, got " + log.getTopics().size());
        }
    }

    static byte[] txHash(Log log) {
        return Hex.decode(log.getTransactionHash());
    }

    static long block(Log log) {
        return log.getBlockNumber().longValueExact();
    }

    static long index(Log log) {
        return log.getLogIndex().longValueExact();
    }
}
