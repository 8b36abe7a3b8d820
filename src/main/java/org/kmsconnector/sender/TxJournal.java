package org.kmsconnector.sender;

import java.math.BigInteger;

/**
 * Where the sender writes down a transaction before the node sees it, so that a later pick of the
 * same response, even by a new process after a crash, can find it instead of sending a second.
 */
@FunctionalInterface
public interface TxJournal {
    /** Keeps nothing: for callers that send outside the database's life cycle (tests, tools). */
    TxJournal NONE = (nonce, txHash) -> true;

    /**
     * Records that {@code txHash} is about to be broadcast under {@code nonce}.
     *
     * @return false when the response is no longer this sender's (its row left under_process):
     *     the transaction must then not be sent
     * @throws Exception when it could not be recorded: the transaction must then not be sent either
     */
    boolean beforeBroadcast(BigInteger nonce, String txHash) throws Exception;
}
