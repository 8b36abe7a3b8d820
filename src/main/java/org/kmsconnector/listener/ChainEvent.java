package org.kmsconnector.listener;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.kmsconnector.db.OperationKind;

/**
 * A contract event the listener stores: the kind of operation whose request table it goes to,
 * the row's key, the kind's columns it fills (catalogue names; unset ones stay NULL), and where
 * on chain it came from.
 */
public interface ChainEvent {
    OperationKind kind();

    /** The primary key's value (stored as 32 little-endian bytes). */
    BigInteger key();

    /**
     * Column name to value, in insert order: byte[] (bytea), List of byte[] (bytea[]), Long
     * (bigint) or String (text, or an enum through the catalogue's cast).
     */
    Map<String, Object> columns();

    byte[] txHash();

    long blockNumber();

    long logIndex();

    /** What else the event changes, inside the transaction that stores it (idempotent: a duplicate runs it again). */
    default void alsoWrite(Connection conn) throws SQLException {}
}
