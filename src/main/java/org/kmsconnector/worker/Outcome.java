package org.kmsconnector.worker;

import java.util.List;

/**
 * How an attempt at a request ended. {@code response} holds the response row's columns in
 * catalogue order when the kind has a response table; it is empty for the kinds completed on the
 * KMS Core's acknowledgement.
 */
public record Outcome(Kind kind, String reason, List<Object> response) {
    public enum Kind {
        /** the KMS Core answered: store the response (or complete the request) */
        DONE,
        /** a recoverable problem: back to pending (kinds that count attempts: failed at the limit) */
        RETRY,
        /** an irrecoverable problem: failed */
        FAILED,
        /** the KMS Core aborted the operation */
        ABORTED
    }

    public static Outcome done(List<Object> response) {
        return new Outcome(Kind.DONE, null, List.copyOf(response));
    }

    /** Done with nothing to store but the request's completion. */
    public static Outcome completed() {
        return new Outcome(Kind.DONE, null, List.of());
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
