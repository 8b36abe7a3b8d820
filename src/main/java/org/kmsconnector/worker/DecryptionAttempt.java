package org.kmsconnector.worker;

/**
 * One attempt at a claimed decryption as it moves through the route's steps. It stays open
 * until a step ends it with an outcome; the later steps then leave it alone.
 */
public final class DecryptionAttempt<J extends DecryptionJob> {
    private final J job;
    private boolean sent;
    private int failedAttempts;
    private Outcome outcome;

    public DecryptionAttempt(J job) {
        this.job = job;
        this.sent = job.alreadySent();
    }

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

    /** Open and not sent yet: the ciphertexts must be fetched and the request sent. */
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
