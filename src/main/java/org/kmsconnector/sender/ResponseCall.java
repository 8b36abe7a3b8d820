package org.kmsconnector.sender;

import org.kmsconnector.db.ClaimedRow;
import org.kmsconnector.db.OperationKind;

/**
 * How a response row of one kind becomes a transaction: the chain it goes to, the contract it
 * calls and the calldata built from the row's columns.
 */
public record ResponseCall(OperationKind kind, ChainSender chain, String contract, Calldata calldata) {

    /** @throws IllegalArgumentException naming the column when the row cannot be sent */
    @FunctionalInterface
    public interface Calldata {
        byte[] build(ClaimedRow row);
    }
}
