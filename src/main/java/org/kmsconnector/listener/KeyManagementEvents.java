package org.kmsconnector.listener;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.db.Operations;

/** The KMSGeneration events on Ethereum (K1-K5, contracts.md §6.1), as the listener stores them. */
public final class KeyManagementEvents {
    private KeyManagementEvents() {}

    /** The database's params_type for KMSGeneration's ParamsType (uint8): an unknown value is an error. */
    static String paramsType(BigInteger value) {
        if (value.equals(BigInteger.ZERO)) {
            return "Default";
        }
        if (value.equals(BigInteger.ONE)) {
            return "Test";
        }
        throw new IllegalArgumentException("unknown paramsType " + value + " (expected 0 Default or 1 Test)");
    }

    /** K1 PrepKeygenRequest(uint256 prepKeygenId, ParamsType paramsType, bytes extraData). */
    public record PrepKeygenRequested(BigInteger prepKeygenId, String paramsType, byte[] extraData, byte[] txHash,
            long blockNumber, long logIndex) implements ChainEvent {
        public OperationKind kind() {
            return Operations.PREP_KEYGEN;
        }

        public BigInteger key() {
            return prepKeygenId;
        }

        public Map<String, Object> columns() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("params_type", paramsType);
            c.put("extra_data", extraData);
            return c;
        }
    }

    /** K2 KeygenRequest(uint256 prepKeygenId, uint256 keyId, bytes extraData). */
    public record KeygenRequested(BigInteger prepKeygenId, BigInteger keyId, byte[] extraData, byte[] txHash,
            long blockNumber, long logIndex) implements ChainEvent {
        public OperationKind kind() {
            return Operations.KEYGEN;
        }

        public BigInteger key() {
            return keyId;
        }

        public Map<String, Object> columns() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("prep_keygen_id", Uint256.toLittleEndian(prepKeygenId));
            c.put("extra_data", extraData);
            return c;
        }
    }

    /** K3 CrsgenRequest(uint256 crsId, uint256 maxBitLength, ParamsType paramsType, bytes extraData). */
    public record CrsgenRequested(BigInteger crsId, BigInteger maxBitLength, String paramsType, byte[] extraData,
            byte[] txHash, long blockNumber, long logIndex) implements ChainEvent {
        public OperationKind kind() {
            return Operations.CRSGEN;
        }

        public BigInteger key() {
            return crsId;
        }

        /** max_bit_length is a uint256 stored as 32 little-endian bytes, like the ids. */
        public Map<String, Object> columns() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("max_bit_length", Uint256.toLittleEndian(maxBitLength));
            c.put("params_type", paramsType);
            c.put("extra_data", extraData);
            return c;
        }
    }

    /** K4 AbortKeygen(uint256 prepKeygenId). */
    public record KeygenAborted(BigInteger prepKeygenId, byte[] txHash, long blockNumber, long logIndex)
            implements ChainEvent {
        public OperationKind kind() {
            return Operations.ABORT_KEYGEN;
        }

        public BigInteger key() {
            return prepKeygenId;
        }

        public Map<String, Object> columns() {
            return Map.of();
        }
    }

    /** K5 AbortCrsgen(uint256 crsId). */
    public record CrsgenAborted(BigInteger crsId, byte[] txHash, long blockNumber, long logIndex)
            implements ChainEvent {
        public OperationKind kind() {
            return Operations.ABORT_CRSGEN;
        }

        public BigInteger key() {
            return crsId;
        }

        public Map<String, Object> columns() {
            return Map.of();
        }
    }
}
