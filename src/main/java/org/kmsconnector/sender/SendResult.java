package org.kmsconnector.sender;

/**
 * How sending one response ended.
 *
 * @param kind SENT (mined with status 1), RETRY (recoverable: back to pending), FAILED (the
 *     contract refused it for good), BACKEND_GONE (the node could not be reached: back to pending)
 * @param txHash the transaction that was mined or last sent, or null when none was
 * @param reason why it did not succeed, or null when SENT
 * @param gasUsed gas of the mined transaction, 0 when none was mined
 */
public record SendResult(Kind kind, String txHash, String reason, long gasUsed) {

    public enum Kind { SENT, RETRY, FAILED, BACKEND_GONE }

    static SendResult sent(String txHash, long gasUsed) {
        return new SendResult(Kind.SENT, txHash, null, gasUsed);
    }

    static SendResult retry(String txHash, String reason) {
        return new SendResult(Kind.RETRY, txHash, reason, 0);
    }

    static SendResult failed(String txHash, String reason) {
        return new SendResult(Kind.FAILED, txHash, reason, 0);
    }

    static SendResult backendGone(String txHash, String reason) {
        return new SendResult(Kind.BACKEND_GONE, txHash, reason, 0);
    }
}
