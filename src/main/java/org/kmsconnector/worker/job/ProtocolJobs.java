package org.kmsconnector.worker.job;

import java.math.BigInteger;
import java.time.Instant;
import org.kmsconnector.chain.KmsContextPayload;
import org.kmsconnector.db.ClaimedRow;

/**
 * The claimed ProtocolConfig requests that carry more than their id (new context, new epoch), parsed
 * (the destructions are {@link IdJob}s). Like
 * the key-generation kinds, they do not count attempts: they are retried until done.
 */
public final class ProtocolJobs {
    private ProtocolJobs() {}

    /** new_kms_context: the context, the one it follows, and what it defines. */
    public record NewContextJob(byte[] key, BigInteger id, BigInteger previousContextId, KmsContextPayload context,
            boolean alreadySent, byte[] otlpContext, Instant createdAt) implements OperationJob {
        public static NewContextJob fromRow(ClaimedRow row) {
            KmsContextPayload context;
            try {
                context = KmsContextPayload.fromColumns(row.bytes("kms_node_params"), row.bytes("thresholds"),
                        row.text("software_version"), row.bytes("pcr_values"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kms_node_params, thresholds or pcr_values do not decode: "
                        + e.getMessage(), e);
            }
            return new NewContextJob(row.key(), row.id(), row.uint256("previous_context_id"), context,
                    row.flag("already_sent"), row.otlpContext(), row.createdAt());
        }

        public int errorCounter() {
            return 0;
        }
    }

    /** new_kms_epoch: the epoch of contextId, resharing from previousEpochId as of materialBlockNumber. */
    public record NewEpochJob(byte[] key, BigInteger id, BigInteger contextId, BigInteger previousContextId,
            BigInteger previousEpochId, BigInteger materialBlockNumber, boolean alreadySent, byte[] otlpContext,
            Instant createdAt) implements OperationJob {
        public static NewEpochJob fromRow(ClaimedRow row) {
            return new NewEpochJob(row.key(), row.id(), row.uint256("context_id"), row.uint256("previous_context_id"),
                    row.uint256("previous_epoch_id"), row.uint256("material_block_number"), row.flag("already_sent"),
                    row.otlpContext(), row.createdAt());
        }

        public int errorCounter() {
            return 0;
        }
    }
}
