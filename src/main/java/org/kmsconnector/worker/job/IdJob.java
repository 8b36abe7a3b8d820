package org.kmsconnector.worker.job;

import java.math.BigInteger;
import java.time.Instant;
import org.kmsconnector.db.ClaimedRow;

/**
 * A claimed request that is only its id: an abort (the prep-keygen or CRS id) or a destruction
 * (the context or epoch id). These kinds do not count attempts.
 */
public record IdJob(byte[] key, BigInteger id, boolean alreadySent, byte[] otlpContext, Instant createdAt)
        implements OperationJob {
    public static IdJob fromRow(ClaimedRow row) {
        return new IdJob(row.key(), row.id(), row.flag("already_sent"), row.otlpContext(), row.createdAt());
    }

    public int errorCounter() {
        return 0;
    }
}
