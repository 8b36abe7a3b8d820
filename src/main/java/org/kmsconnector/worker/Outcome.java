package org.kmsconnector.worker;

/** How an attempt at a request ended, and the response when it has one. */
public record Outcome(Kind kind, String reason, Object response) {
    public enum Kind {
        /** the KMS Core answered: store the response */
        DONE,
        /** a recoverable problem: back to pending (decryptions: failed at max_decryption_attempts) */
        RETRY,
        /** an irrecoverable problem: failed */
        FAILED,
        /** the KMS Core aborted the operation */
        ABORTED
    }

    public static Outcome done(Object response) {
        return new Outcome(Kind.DONE, null, response);
    }

    public static Outcome retry(String reason) {
        return new Outcome(Kind.RETRY, reason, null);
    }

    public static Outcome failed(String reason) {
        return new Outcome(Kind.FAILED, reason, null);
    }

    public static Outcome aborted(String reason) {
        return new Outcome(Kind.ABORTED, reason, null);
    }
}
