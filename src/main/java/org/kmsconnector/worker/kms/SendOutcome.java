package org.kmsconnector.worker.kms;

/**
 * How a start (or fire-and-ack) RPC ended after all its attempts. {@code failedAttempts} is what
 * the event's error counter grows by; {@code message} is short and never holds payload bytes.
 */
public record SendOutcome(Kind kind, int failedAttempts, String message) {
    public enum Kind {
        /** Accepted now, or already known to the core (ALREADY_EXISTS). */
        OK,
        /** Every attempt hit a transient code: put the event back to pending. */
        RECOVERABLE,
        /** The core refused the request: fail the event, never resend. */
        IRRECOVERABLE
    }

    public boolean ok() {
        return kind == Kind.OK;
    }
}
