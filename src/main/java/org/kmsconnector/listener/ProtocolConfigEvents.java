package org.kmsconnector.listener;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kmsconnector.chain.KmsContextPayload;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.db.KmsContextCache;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.db.Operations;

/**
 * The ProtocolConfig events on Ethereum (P1-P4, contracts.md §7.1), as the listener stores them.
 * The destructions also mark the context cache invalid in the insert's transaction, so no worker
 * can read the stored destruction and still find the id valid.
 */
public final class ProtocolConfigEvents {
    /** previousContextId of the genesis (or re-initialised) context: it has nothing to reshare from. */
    public static final BigInteger KMS_CONTEXT_COUNTER_BASE = BigInteger.valueOf(7).shiftLeft(248);

    private ProtocolConfigEvents() {}

    /** P1 NewKmsContext: the node parameters, thresholds and PCR values each stored ABI-encoded. */
    public record KmsContextDefined(BigInteger contextId, BigInteger previousContextId, KmsContextPayload payload,
            byte[] txHash, long blockNumber, long logIndex) implements ChainEvent {
        public boolean genesis() {
            return previousContextId.equals(KMS_CONTEXT_COUNTER_BASE);
        }

        public OperationKind kind() {
            return Operations.NEW_KMS_CONTEXT;
        }

        public BigInteger key() {
            return contextId;
        }

        public Map<String, Object> columns() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("previous_context_id", Uint256.toLittleEndian(previousContextId));
            c.put("kms_node_params", payload.nodesAbi());
            c.put("thresholds", payload.thresholdsAbi());
            c.put("software_version", payload.softwareVersion());
            c.put("pcr_values", payload.pcrsAbi());
            return c;
        }
    }

    /** P2 NewKmsEpoch; materialBlockNumber is a uint256 stored as 32 little-endian bytes. */
    public record KmsEpochOpened(BigInteger contextId, BigInteger epochId, BigInteger previousContextId,
            BigInteger previousEpochId, BigInteger materialBlockNumber, byte[] txHash, long blockNumber,
            long logIndex) implements ChainEvent {
        public OperationKind kind() {
            return Operations.NEW_KMS_EPOCH;
        }

        public BigInteger key() {
            return epochId;
        }

        public Map<String, Object> columns() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("context_id", Uint256.toLittleEndian(contextId));
            c.put("previous_context_id", Uint256.toLittleEndian(previousContextId));
            c.put("previous_epoch_id", Uint256.toLittleEndian(previousEpochId));
            c.put("material_block_number", Uint256.toLittleEndian(materialBlockNumber));
            return c;
        }
    }

    /** P3 KmsContextDestroyed. */
    public record KmsContextDestroyed(BigInteger contextId, byte[] txHash, long blockNumber, long logIndex)
            implements ChainEvent {
        public OperationKind kind() {
            return Operations.KMS_CONTEXT_DESTROYED;
        }

        public BigInteger key() {
            return contextId;
        }

        public Map<String, Object> columns() {
            return Map.of();
        }

        @Override
        public void alsoWrite(Connection conn) throws SQLException {
            KmsContextCache.invalidateContext(conn, contextId);
        }
    }

    /** P4 KmsEpochDestroyed. */
    public record KmsEpochDestroyed(BigInteger epochId, byte[] txHash, long blockNumber, long logIndex)
            implements ChainEvent {
        public OperationKind kind() {
            return Operations.KMS_EPOCH_DESTROYED;
        }

        public BigInteger key() {
            return epochId;
        }

        public Map<String, Object> columns() {
            return Map.of();
        }

        @Override
        public void alsoWrite(Connection conn) throws SQLException {
            KmsContextCache.invalidateEpoch(conn, epochId);
        }
    }
}
