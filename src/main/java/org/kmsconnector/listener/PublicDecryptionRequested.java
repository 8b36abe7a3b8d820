package org.kmsconnector.listener;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.db.Operations;

/** D1: PublicDecryptionRequest(uint256 indexed decryptionId, bytes32[] ctHandles, bytes extraData), as stored. */
public record PublicDecryptionRequested(BigInteger decryptionId, List<byte[]> ctHandles, byte[] extraData,
        byte[] txHash, long blockNumber, long logIndex) implements ChainEvent {

    @Override
    public OperationKind kind() {
        return Operations.PUBLIC_DECRYPTION;
    }

    @Override
    public BigInteger key() {
        return decryptionId;
    }

    @Override
    public Map<String, Object> columns() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ct_handles", ctHandles);
        c.put("extra_data", extraData);
        return c;
    }
}
