package org.kmsconnector.listener;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Turns Decryption logs into events. A log that does not decode is logged with its block and
 * index, counted, and skipped: one malformed log must not hold back the rest of the range.
 */
public final class GatewayLogDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayLogDecoder.class);

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final List<TypeReference<Type>> D1_DATA = List.of(
            (TypeReference) new TypeReference<DynamicArray<Bytes32>>() {},
            (TypeReference) new TypeReference<DynamicBytes>() {});

    private final ConnectorMetrics metrics;

    public GatewayLogDecoder(ConnectorMetrics metrics) {
        this.metrics = metrics;
    }

    public List<GatewayEvent> decode(List<Log> logs) {
        List<GatewayEvent> events = new ArrayList<>(logs.size());
        for (Log log : logs) {
            String topic0 = log.getTopics().isEmpty() ? "" : log.getTopics().get(0).toLowerCase();
            if (GatewayEventTopics.DEPRECATED.contains(topic0)) {
                continue;
            }
            try {
                if (GatewayEventTopics.PUBLIC_DECRYPTION_REQUEST.equals(topic0)) {
                    events.add(publicDecryption(log));
                    metrics.increment("kms_connector_gw_listener_event_received_counter", "event_type",
                            "public_decryption_request");
                } else {
                    throw new IllegalArgumentException("unexpected topic0 " + topic0);
                }
            } catch (RuntimeException e) {
                LOG.error("Skipping malformed Decryption log at block {} index {} (tx {}): {}",
                        log.getBlockNumber(), log.getLogIndex(), log.getTransactionHash(), e.getMessage());
                metrics.increment("kms_connector_gw_listener_malformed_events", "topic0", topic0);
            }
        }
        return events;
    }

    @SuppressWarnings("unchecked")
    private static PublicDecryptionRequested publicDecryption(Log log) {
        if (log.getTopics().size() != 2) {
            throw new IllegalArgumentException("expected 2 topics, got " + log.getTopics().size());
        }
        BigInteger id = new BigInteger(1, Hex.decode(log.getTopics().get(1)));
        List<Type> fields = FunctionReturnDecoder.decode(log.getData(), D1_DATA);
        if (fields.size() != 2) {
            throw new IllegalArgumentException("data does not hold (bytes32[], bytes)");
        }
        List<byte[]> handles = new ArrayList<>();
        for (Bytes32 handle : ((DynamicArray<Bytes32>) fields.get(0)).getValue()) {
            handles.add(handle.getValue());
        }
        byte[] extraData = ((DynamicBytes) fields.get(1)).getValue();
        return new PublicDecryptionRequested(id, handles, extraData, Hex.decode(log.getTransactionHash()),
                log.getBlockNumber().longValueExact(), log.getLogIndex().longValueExact());
    }
}
