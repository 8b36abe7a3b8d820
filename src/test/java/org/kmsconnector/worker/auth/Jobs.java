package org.kmsconnector.worker.auth;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.worker.job.UserDecryptionJob;

/** Claimed user decryption rows as the worker's parse step hands them to the authoriser. */
final class Jobs {
    static final byte[] PUBLIC_KEY = Hex.decode("c0ffee0123");
    static final byte[] EXTRA_DATA = Hex.decode("00");

    private Jobs() {}

    static UserDecryptionJob legacy(List<Handle> handles, String user, byte[] txHash) {
        return new UserDecryptionJob(new byte[32], BigInteger.ONE, handles, Hex.decode(user), PUBLIC_KEY, EXTRA_DATA,
                txHash, false, 0, new byte[8], Instant.now(), Optional.empty());
    }

    static UserDecryptionJob unified(List<Handle> handles, String user, UserDecryptionJob.Unified unified) {
        return new UserDecryptionJob(new byte[32], BigInteger.TWO, handles, Hex.decode(user), PUBLIC_KEY, EXTRA_DATA,
                null, false, 0, new byte[8], Instant.now(), Optional.of(unified));
    }
}
