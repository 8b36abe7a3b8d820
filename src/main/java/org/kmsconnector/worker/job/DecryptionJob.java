package org.kmsconnector.worker.job;

import java.math.BigInteger;
import java.util.List;
import org.kmsconnector.chain.Handle;

/** What every claimed decryption has, public or user: the decryption steps work on this. */
public interface DecryptionJob extends OperationJob {
    List<Handle> handles();

    /** The request's extraData (for unified user decryptions, the payload's). */
    byte[] extraData();

    default BigInteger decryptionId() {
        return id();
    }
}
