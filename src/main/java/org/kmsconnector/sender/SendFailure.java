package org.kmsconnector.sender;

import java.math.BigInteger;

/** Why one attempt at sending did not end with a mined transaction. */
abstract class SendFailure extends Exception {
    SendFailure(String reason) {
        super(reason, null, false, false);
    }

    /** The contract refused the transaction for good. */
    static final class Refused extends SendFailure {
        Refused(String reason) {
            super(reason);
        }
    }

    /**
     * Worth another attempt. {@code keep} says whether the in-flight transactions may still be
     * mined; {@code outOfGasAt} is the gas limit a mined transaction ran out of, if that is why.
     */
    static final class Recoverable extends SendFailure {
        final String txHash;
        final boolean keep;
        final BigInteger outOfGasAt;

        Recoverable(String reason, String txHash, boolean keep) {
            this(reason, txHash, keep, null);
        }

        Recoverable(String reason, String txHash, boolean keep, BigInteger outOfGasAt) {
            super(reason);
            this.txHash = txHash;
            this.keep = keep;
            this.outOfGasAt = outOfGasAt;
        }
    }

    /** The response's row is no longer this sender's: nothing may be sent for it. */
    static final class Released extends SendFailure {
        Released(String reason) {
            super(reason);
        }
    }
}
