package org.kmsconnector.sender;

import java.math.BigInteger;
import java.time.Duration;
import org.kmsconnector.db.ClaimedRow;

/**
 * One response on its way to a chain, as it moves through the send route's steps (build, settle
 * what an earlier pick sent, then sign-and-send and await-receipt tries until one ends it). It
 * holds the call, what is in flight for it and how it ended; a step that ends it leaves the later
 * steps nothing to do.
 */
public final class SendAttempt {
    private final ClaimedRow row;
    private final String what;
    private final String to;
    private final byte[] calldata;
    private final PriorSend prior;
    private final TxJournal journal;
    private final boolean malformed;
    private final long startedNanos = System.nanoTime();

    InFlight inFlight;
    /** An earlier pick's transaction is still pending: await it before sending anything. */
    boolean awaitFirst;
    /** This try handed a transaction to the node (or found one pending): its receipt is awaited. */
    boolean awaiting;
    BigInteger gasFloor = BigInteger.ZERO;
    int tries;
    SendResult last;
    private SendResult result;

    private SendAttempt(ClaimedRow row, String what, String to, byte[] calldata, PriorSend prior, TxJournal journal,
            boolean malformed, SendResult result) {
        this.row = row;
        this.what = what;
        this.to = to;
        this.calldata = calldata;
        this.prior = prior;
        this.journal = journal;
        this.malformed = malformed;
        this.result = result;
    }

    /**
     * A call to send.
     *
     * @param what names the response in logs, e.g. "Public decryption response 0x…"
     */
    public static SendAttempt of(ClaimedRow row, String what, String to, byte[] calldata, PriorSend prior,
            TxJournal journal) {
        return new SendAttempt(row, what, to, calldata, prior, journal, false, null);
    }

    /** A row that cannot be sent at all: it ends failed without a transaction. */
    static SendAttempt malformed(ClaimedRow row, String what, String reason) {
        return new SendAttempt(row, what, null, null, PriorSend.NONE, TxJournal.NONE, true,
                SendResult.failed(null, "malformed row: " + reason));
    }

    /** Whether the route should try (again): not ended yet. */
    public boolean isSending() {
        return result == null;
    }

    public SendResult result() {
        return result;
    }

    public ClaimedRow row() {
        return row;
    }

    public String what() {
        return what;
    }

    String to() {
        return to;
    }

    byte[] calldata() {
        return calldata;
    }

    PriorSend prior() {
        return prior;
    }

    TxJournal journal() {
        return journal;
    }

    boolean isMalformed() {
        return malformed;
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    void end(SendResult r) {
        if (result == null) {
            result = r;
        }
        awaiting = false;
    }
}
