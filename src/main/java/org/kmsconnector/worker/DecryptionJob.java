package org.kmsconnector.worker;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.chain.Hex;

/** What every claimed decryption row has, public or user: the shared steps work on this. */
public interface DecryptionJob {
    /** The primary key as stored (uint256, little-endian). */
    byte[] rowId();

    BigInteger decryptionId();

    List<Handle> handles();

    /** The request's extraData (for unified user decryptions, the payload's). */
    byte[] extraData();

    /** Whether an earlier attempt already gave the request to the KMS Core. */
    boolean alreadySent();

    int errorCounter();

    byte[] otlpContext();

    Instant createdAt();

    default String rowIdHex() {
        return Hex.prefixed(rowId());
    }
}
