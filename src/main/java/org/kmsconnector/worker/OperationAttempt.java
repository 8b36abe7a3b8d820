package org.kmsconnector.worker;

import org.kmsconnector.db.ClaimedRow;
import org.kmsconnector.worker.job.OperationJob;

/**
 * One attempt at a claimed request as it moves through the route's steps. It stays open until a
 * step ends it with an outcome; the later steps then leave it alone. A row too broken to parse has
 * no job, only its row, so that it can still be marked failed.
 */
public final class OperationAttempt<J extends OperationJob> {
    private final ClaimedRow row;
    private final J job;
    private boolean sent;
    private int failedAttempts;
    private Outcome outcome;

    OperationAttempt(ClaimedRow row, J job) {
        this.row = row;
        this.job = job;
        this.sent = job != null && job.alreadySent();
    }

    public ClaimedRow getRow() {
        return row;
    }

    /** The parsed request, or null when the row could not be read. */
    public J getJob() {
        return job;
    }

    /** Whether the KMS Core has the request (from an earlier attempt or this one). */
    public boolean isSent() {
        return sent;
    }

    public boolean isOpen() {
        return outcome == null;
    }

    /** Open and not sent yet: the request must be prepared and sent. */
    public boolean isToSend() {
        return outcome == null && !sent;
    }

    public int failedAttempts() {
        return failedAttempts;
    }

    public Outcome outcome() {
        return outcome;
    }

    void markSent() {
        sent = true;
    }

    void countFailures(int n) {
        failedAttempts += n;
    }

    void end(Outcome o) {
        if (outcome == null) {
            outcome = o;
        }
    }

    /** Ends the attempt with a recoverable problem that counts as one failed attempt. */
    void retry(String reason) {
        countFailures(1);
        end(Outcome.retry(reason));
    }
}
