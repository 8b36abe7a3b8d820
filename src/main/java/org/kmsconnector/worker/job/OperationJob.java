package org.kmsconnector.worker.job;

import java.math.BigInteger;
import java.time.Instant;

/** What every claimed request has, whatever its kind: the shared steps and outcome writes work on this. */
public interface OperationJob {
    /** The primary key as stored (uint256, little-endian). */
    byte[] key();

    /** The primary key's value: the decryption, key, CRS, context or epoch id. */
    BigInteger id();

    /** Whether an earlier attempt already gave the request to the KMS Core. */
    boolean alreadySent();

    /** Failed attempts so far (kinds that count them), else 0. */
    int errorCounter();

    byte[] otlpContext();

    Instant createdAt();

    default String idHex() {
        return "0x" + id().toString(16);
    }
}
