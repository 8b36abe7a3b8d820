package org.kmsconnector.worker.job;

import java.math.BigInteger;
import java.time.Instant;
import org.kmsconnector.db.ClaimedRow;

/**
 * The claimed key-management requests (prep-keygen, keygen, CRS generation), parsed; the
 * aborts are {@link IdJob}s.
 * Their extra_data column may be NULL (rows of before the move to Ethereum): read as empty, it
 * pins no context. These kinds do not count attempts.
 */
public final class KeyManagementJobs {
    private KeyManagementJobs() {}

    /** prep_keygen_requests: KeyGenPreproc for prepKeygenId. */
    public record PrepKeygenJob(byte[] key, BigInteger id, String paramsType, byte[] extraData, boolean alreadySent,
            byte[] otlpContext, Instant createdAt) implements OperationJob {
        public static PrepKeygenJob fromRow(ClaimedRow row) {
            return new PrepKeygenJob(row.key(), row.id(), row.text("params_type"), storedExtraData(row),
                    row.flag("already_sent"), row.otlpContext(), row.createdAt());
        }

        public int errorCounter() {
            return 0;
        }
    }

    /** keygen_requests: KeyGen of keyId from the preprocessing prepKeygenId. */
    public record KeygenJob(byte[] key, BigInteger id, BigInteger prepKeygenId, byte[] extraData, boolean alreadySent,
            byte[] otlpContext, Instant createdAt) implements OperationJob {
        public static KeygenJob fromRow(ClaimedRow row) {
            return new KeygenJob(row.key(), row.id(), row.uint256("prep_keygen_id"), storedExtraData(row),
                    row.flag("already_sent"), row.otlpContext(), row.createdAt());
        }

        public int errorCounter() {
            return 0;
        }
    }

    /** crsgen_requests: CrsGen of crsId for maxBitLength bits. */
    public record CrsgenJob(byte[] key, BigInteger id, BigInteger maxBitLength, String paramsType, byte[] extraData,
            boolean alreadySent, byte[] otlpContext, Instant createdAt) implements OperationJob {
        public static CrsgenJob fromRow(ClaimedRow row) {
            return new CrsgenJob(row.key(), row.id(), row.uint256("max_bit_length"), row.text("params_type"),
                    storedExtraData(row), row.flag("already_sent"), row.otlpContext(), row.createdAt());
        }

        public int errorCounter() {
            return 0;
        }
    }

    private static byte[] storedExtraData(ClaimedRow row) {
        return row.optionalBytes("extra_data").orElse(new byte[0]);
    }
}
