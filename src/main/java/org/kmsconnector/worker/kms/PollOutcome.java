package org.kmsconnector.worker.kms;

/**
 * How a result poll ended after all its attempts; {@code value} is set only for {@link Kind#OK}.
 * {@code failedAttempts} counts every failed try, the final one included.
 */
public record PollOutcome<T>(Kind kind, T value, int failedAttempts, String message) {
    public enum Kind {
        OK,
        /** Only transient codes (result not ready, core busy or unreachable): poll again later. */
        RECOVERABLE,
        /** Unknown id, failed operation, bad request: fail the event. */
        IRRECOVERABLE,
        /** The operation was aborted in the core (ABORTED): mark the event aborted. */
        ABORTED
    }

    public boolean ok() {
        return kind == Kind.OK;
    }
}
