package org.kmsconnector.listener;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.chain.AbiReader;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Turns Decryption logs into events. A log that does not decode is logged with its block and
 * index, counted, and skipped: one malformed log must not hold back the rest of the range.
 */
public final class GatewayLogDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayLogDecoder.class);
    static final String PUBLIC_DECRYPTION = "public_decryption_request";
    static final String USER_DECRYPTION = "user_decryption_request";

    /** HandleEntry (bytes32 handle, address contractAddress, address ownerAddress): a static tuple. */
    private static final int HANDLE_ENTRY_WORDS = 3;

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
                GatewayEvent event = switch (topic0) {
                    case GatewayEventTopics.PUBLIC_DECRYPTION_REQUEST -> publicDecryption(log);
                    case GatewayEventTopics.USER_DECRYPTION_REQUEST -> legacyUserDecryption(log);
                    case GatewayEventTopics.UNIFIED_USER_DECRYPTION_REQUEST -> unifiedUserDecryption(log);
                    default -> throw new IllegalArgumentException("unexpected topic0 " + topic0);
                };
                events.add(event);
                metrics.increment(Metrics.LISTENER_EVENTS, "event_type",
                        event instanceof PublicDecryptionRequested ? PUBLIC_DECRYPTION : USER_DECRYPTION);
            } catch (RuntimeException e) {
                LOG.error("Skipping malformed Decryption log at block {} index {} (tx {}): {}",
                        log.getBlockNumber(), log.getLogIndex(), log.getTransactionHash(), e.getMessage());
                metrics.increment(Metrics.LISTENER_MALFORMED, "topic0", topic0);
            }
        }
        return events;
    }

    /** D1: (bytes32[] ctHandles, bytes extraData). */
    private static PublicDecryptionRequested publicDecryption(Log log) {
        AbiReader data = AbiReader.ofHex(log.getData());
        return new PublicDecryptionRequested(decryptionId(log), data.bytes32Array(0), data.bytes(1), txHash(log),
                block(log), index(log));
    }

    /** D2: (bytes32[] ctHandles, address userAddress, bytes publicKey, bytes extraData). */
    private static UserDecryptionRequested legacyUserDecryption(Log log) {
        AbiReader data = AbiReader.ofHex(log.getData());
        return new UserDecryptionRequested(decryptionId(log), data.bytes32Array(0), data.address(1), data.bytes(2),
                data.bytes(3), txHash(log), block(log), index(log), Optional.empty());
    }

    /**
     * D3: (HandleEntry[] handles, payload) with payload = (address userAddress, bytes publicKey,
     * address[] allowedContracts, (uint256 start, uint256 durationSeconds) inline,
     * bytes extraData, bytes signature).
     */
    private static UserDecryptionRequested unifiedUserDecryption(Log log) {
        AbiReader data = AbiReader.ofHex(log.getData());
        List<byte[]> handles = new ArrayList<>();
        List<byte[]> contracts = new ArrayList<>();
        List<byte[]> owners = new ArrayList<>();
        for (AbiReader entry : data.staticTupleArray(0, HANDLE_ENTRY_WORDS)) {
            handles.add(entry.bytes32(0));
            contracts.add(entry.address(1));
            owners.add(entry.address(2));
        }
        AbiReader payload = data.tuple(1);
        UserDecryptionRequested.Unified unified = new UserDecryptionRequested.Unified(owners, contracts,
                payload.addressArray(2), payload.int64(3, "startTimestamp"), payload.int64(4, "durationSeconds"),
                payload.bytes(6));
        return new UserDecryptionRequested(decryptionId(log), handles, payload.address(0), payload.bytes(1),
                payload.bytes(5), txHash(log), block(log), index(log), Optional.of(unified));
    }

    private static BigInteger decryptionId(Log log) {
        if (log.getTopics().size() != 2) {
            throw new IllegalArgumentException("expected 2 topics, got " + log.getTopics().size());
        }
        byte[] id = Hex.decode(log.getTopics().get(1));
        if (id.length != 32) {
            throw new IllegalArgumentException("topic1 is not a 32-byte decryption id");
        }
        return new BigInteger(1, id);
    }

    private static byte[] txHash(Log log) {
        return Hex.decode(log.getTransactionHash());
    }

    private static long block(Log log) {
        return log.getBlockNumber().longValueExact();
    }

    private static long index(Log log) {
        return log.getLogIndex().longValueExact();
    }
}
