package org.kmsconnector.listener;

import java.util.Map;
import java.util.Optional;
import org.kmsconnector.chain.AbiReader;
import org.kmsconnector.db.Operations;
import org.kmsconnector.listener.KeyManagementEvents.CrsgenAborted;
import org.kmsconnector.listener.KeyManagementEvents.CrsgenRequested;
import org.kmsconnector.listener.KeyManagementEvents.KeygenAborted;
import org.kmsconnector.listener.KeyManagementEvents.KeygenRequested;
import org.kmsconnector.listener.KeyManagementEvents.PrepKeygenRequested;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The Ethereum logs of KMSGeneration (K1-K5, stored) and ProtocolConfig (P1-P4, recognised and
 * counted; the context and epoch events are not stored yet). No KMSGeneration field is indexed.
 * A log from neither contract is skipped with a warning.
 */
public final class EthereumLogDecoder extends LogDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(EthereumLogDecoder.class);
    private static final Map<String, String> PROTOCOL_CONFIG_EVENT_TYPES = Map.of(
            EthereumEventTopics.NEW_KMS_CONTEXT, Operations.NEW_KMS_CONTEXT.eventType(),
            EthereumEventTopics.NEW_KMS_EPOCH, Operations.NEW_KMS_EPOCH.eventType(),
            EthereumEventTopics.KMS_CONTEXT_DESTROYED, Operations.KMS_CONTEXT_DESTROYED.eventType(),
            EthereumEventTopics.KMS_EPOCH_DESTROYED, Operations.KMS_EPOCH_DESTROYED.eventType());

    private final String kmsGeneration;
    private final String protocolConfig;

    public EthereumLogDecoder(String kmsGenerationAddress, String protocolConfigAddress, ConnectorMetrics metrics) {
        super("Ethereum", metrics);
        this.kmsGeneration = kmsGenerationAddress.toLowerCase();
        this.protocolConfig = protocolConfigAddress.toLowerCase();
    }

    @Override
    protected Optional<ChainEvent> decodeOne(String topic0, Log log) {
        String address = log.getAddress() == null ? "" : log.getAddress().toLowerCase();
        if (address.equals(protocolConfig) && PROTOCOL_CONFIG_EVENT_TYPES.containsKey(topic0)) {
            received(PROTOCOL_CONFIG_EVENT_TYPES.get(topic0));
            return Optional.empty();
        }
        if (!address.equals(kmsGeneration) || !EthereumEventTopics.KMS_GENERATION.contains(topic0)) {
            LOG.warn("Skipping a log of {} (topic0 {}) at block {} index {}: not an event of KMSGeneration {} or"
                    + " ProtocolConfig {}", log.getAddress(), topic0, log.getBlockNumber(), log.getLogIndex(),
                    kmsGeneration, protocolConfig);
            return Optional.empty();
        }
        requireTopics(log, 1);
        AbiReader data = AbiReader.ofHex(log.getData());
        return Optional.of(switch (topic0) {
            case EthereumEventTopics.PREP_KEYGEN_REQUEST -> new PrepKeygenRequested(data.uint(0),
                    KeyManagementEvents.paramsType(data.uint(1)), data.bytes(2), txHash(log), block(log), index(log));
            case EthereumEventTopics.KEYGEN_REQUEST -> new KeygenRequested(data.uint(0), data.uint(1), data.bytes(2),
                    txHash(log), block(log), index(log));
            case EthereumEventTopics.CRSGEN_REQUEST -> new CrsgenRequested(data.uint(0), data.uint(1),
                    KeyManagementEvents.paramsType(data.uint(2)), data.bytes(3), txHash(log), block(log), index(log));
            case EthereumEventTopics.ABORT_KEYGEN -> new KeygenAborted(data.uint(0), txHash(log), block(log),
                    index(log));
            case EthereumEventTopics.ABORT_CRSGEN -> new CrsgenAborted(data.uint(0), txHash(log), block(log),
                    index(log));
            default -> throw new IllegalArgumentException("unexpected topic0 " + topic0);
        });
    }
}
