package org.kmsconnector.listener;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.chain.AbiReader;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.web3j.protocol.core.methods.response.Log;

/** The Decryption contract's logs (D1-D3, contracts.md §4.1); the deprecated dual-emitted variants are skipped. */
public final class GatewayLogDecoder extends LogDecoder {
    /** HandleEntry (bytes32 handle, address contractAddress, address ownerAddress): a static tuple. */
    private static final int HANDLE_ENTRY_WORDS = 3;

    public GatewayLogDecoder(ConnectorMetrics metrics) {
        super("Decryption", metrics);
    }

    @Override
    protected Optional<ChainEvent> decodeOne(String topic0, Log log) {
        if (GatewayEventTopics.DEPRECATED.contains(topic0)) {
            return Optional.empty();
        }
        return Optional.of(switch (topic0) {
            case GatewayEventTopics.PUBLIC_DECRYPTION_REQUEST -> publicDecryption(log);
            case GatewayEventTopics.USER_DECRYPTION_REQUEST -> legacyUserDecryption(log);
            case GatewayEventTopics.UNIFIED_USER_DECRYPTION_REQUEST -> unifiedUserDecryption(log);
            default -> throw new IllegalArgumentException("unexpected topic0 " + topic0);
        });
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
        return indexedId(log, 1, 2);
    }
}
