package org.kmsconnector.sender;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.db.FailureReason;

/**
 * Status writes for one response table, keyed by the row's primary-key bytes. Each write only
 * applies to a row still {@code under_process}: a send that finishes after the recovery job or
 * another writer moved the row on changes nothing. Each method says whether the row changed.
 */
public final class ResponseOutcomes {
    static final int MAX_ERROR_LENGTH = FailureReason.MAX_LENGTH;

    private final DataSource dataSource;
    private final String table;
    private final String complete;
    private final String backToPending;
    private final String fail;
    private final String recordTransaction;

    public ResponseOutcomes(DataSource dataSource, String table, String pkColumn) {
        this.dataSource = dataSource;
        this.table = table;
        this.complete = TxSenderSql.complete(table, pkColumn);
        this.backToPending = TxSenderSql.backToPending(table, pkColumn);
        this.fail = TxSenderSql.fail(table, pkColumn);
        this.recordTransaction = TxSenderSql.recordTransaction(table, pkColumn);
    }

    public String table() {
        return table;
    }

    public boolean completed(byte[] pk) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(complete)) {
            ps.setBytes(1, pk);
            return ps.executeUpdate() > 0;
        }
    }

    public boolean backToPending(byte[] pk, String error) throws SQLException {
        return updateWithError(backToPending, error, pk);
    }

    public boolean failed(byte[] pk, String error) throws SQLException {
        return updateWithError(fail, error, pk);
    }

    /**
     * Notes a transaction about to be broadcast for the row (see {@link TxJournal}); false when
     * the row is no longer under_process, i.e. no longer this sender's to send.
     */
    public boolean transactionSent(byte[] pk, BigInteger nonce, String txHash) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(recordTransaction)) {
            byte[] hash = Hex.decode(txHash);
            ps.setLong(1, nonce.longValueExact());
            ps.setBytes(2, hash);
            ps.setBytes(3, hash);
            ps.setLong(4, nonce.longValueExact());
            ps.setBytes(5, pk);
            return ps.executeUpdate() > 0;
        }
    }

    /** A journal bound to one row. */
    public TxJournal journal(byte[] pk) {
        return (nonce, txHash) -> transactionSent(pk, nonce, txHash);
    }

    private boolean updateWithError(String sql, String error, byte[] pk) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, truncate(error));
            ps.setBytes(2, pk);
            return ps.executeUpdate() > 0;
        }
    }

    static String truncate(String error) {
        return FailureReason.clean(error == null ? "unknown error" : error);
    }
}
