package org.kmsconnector.listener;

import java.util.Optional;
import org.kmsconnector.chain.AbiReader;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.KmsContextPayload;
import org.kmsconnector.listener.KeyManagementEvents.CrsgenAborted;
import org.kmsconnector.listener.KeyManagementEvents.CrsgenRequested;
import org.kmsconnector.listener.KeyManagementEvents.KeygenAborted;
import org.kmsconnector.listener.KeyManagementEvents.KeygenRequested;
import org.kmsconnector.listener.KeyManagementEvents.PrepKeygenRequested;
import org.kmsconnector.listener.ProtocolConfigEvents.KmsContextDefined;
import org.kmsconnector.listener.ProtocolConfigEvents.KmsContextDestroyed;
import org.kmsconnector.listener.ProtocolConfigEvents.KmsEpochDestroyed;
import org.kmsconnector.listener.ProtocolConfigEvents.KmsEpochOpened;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The Ethereum logs of KMSGeneration (K1-K5; no field indexed) and ProtocolConfig (P1-P4; ids
 * indexed). A log from neither contract is skipped with a warning; the genesis context's
 * NewKmsContext is counted and not stored (there is no previous context to reshare from).
 */
public final class EthereumLogDecoder extends LogDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(EthereumLogDecoder.class);

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
        if (address.equals(protocolConfig) && EthereumEventTopics.PROTOCOL_CONFIG.contains(topic0)) {
            return protocolConfigEvent(topic0, log);
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

    private Optional<ChainEvent> protocolConfigEvent(String topic0, Log log) {
        ChainEvent event = switch (topic0) {
            case EthereumEventTopics.NEW_KMS_CONTEXT -> new KmsContextDefined(indexedId(log, 1, 3),
                    indexedId(log, 2, 3), KmsContextPayload.fromEventData(Hex.decode(log.getData())), txHash(log),
                    block(log), index(log));
            case EthereumEventTopics.NEW_KMS_EPOCH -> {
                AbiReader data = AbiReader.ofHex(log.getData());
                yield new KmsEpochOpened(indexedId(log, 1, 3), indexedId(log, 2, 3), data.uint(0), data.uint(1),
                        data.uint(2), txHash(log), block(log), index(log));
            }
            case EthereumEventTopics.KMS_CONTEXT_DESTROYED -> new KmsContextDestroyed(indexedId(log, 1, 2),
                    txHash(log), block(log), index(log));
            case EthereumEventTopics.KMS_EPOCH_DESTROYED -> new KmsEpochDestroyed(indexedId(log, 1, 2), txHash(log),
                    block(log), index(log));
            default -> throw new IllegalArgumentException("unexpected topic0 " + topic0);
        };
        if (event instanceof KmsContextDefined defined && defined.genesis()) {
            received(event.kind().eventType());
            LOG.info("Not storing NewKmsContext {} at block {}: a genesis context has no previous context to reshare"
                    + " from", defined.contextId(), defined.blockNumber());
            return Optional.empty();
        }
        return Optional.of(event);
    }
}
