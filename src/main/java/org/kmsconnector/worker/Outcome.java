package org.kmsconnector.worker;

/**
 * How one attempt at a request ended. {@code failedAttempts} is what this attempt adds to the
 * row's error counter (failed checks, failed gRPC tries).
 */
public record Outcome(Kind kind, String reason, int failedAttempts, Object response) {
    public enum Kind { DONE, RETRY, FAILED, ABORTED }

    public static Outcome done(Object response, int failedAttempts) {
        return new Outcome(Kind.DONE, null, failedAttempts, response);
    }

    public static Outcome retry(String reason, int failedAttempts) {
        return new Outcome(Kind.RETRY, reason, failedAttempts, null);
    }

    public static Outcome failed(String reason) {
        return new Outcome(Kind.FAILED, reason, 1, null);
    }

    public static Outcome aborted(String reason) {
        return new Outcome(Kind.ABORTED, reason, 0, null);
    }
}
