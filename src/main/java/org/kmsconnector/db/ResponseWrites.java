package org.kmsconnector.db;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.kmsconnector.chain.Hex;

/**
 * The tx-sender's status writes on one response table, each guarded as {@link OperationSql} says:
 * a send that ends after the recovery job or another writer moved the row on changes nothing.
 * Each method says whether the row changed.
 */
public final class ResponseWrites {
    private final DataSource dataSource;
    private final OperationTable table;
    private final String complete;
    private final String backToPending;
    private final String fail;
    private final String recordTransaction;

    public ResponseWrites(DataSource dataSource, OperationTable table) {
        this.dataSource = dataSource;
        this.table = table;
        this.complete = OperationSql.completeResponse(table);
        this.backToPending = OperationSql.backToPending(table);
        this.fail = OperationSql.fail(table);
        this.recordTransaction = OperationSql.recordTransaction(table);
    }

    public OperationTable table() {
        return table;
    }

    public boolean completed(byte[] key) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(complete)) {
            ps.setBytes(1, key);
            return ps.executeUpdate() > 0;
        }
    }

    public boolean backToPending(byte[] key, String reason) throws SQLException {
        return withReason(backToPending, reason, key);
    }

    public boolean failed(byte[] key, String reason) throws SQLException {
        return withReason(fail, reason, key);
    }

    /**
     * Notes a transaction about to be broadcast for the row; false when the row is no longer
     * under_process, i.e. no longer this sender's to send.
     */
    public boolean transactionSent(byte[] key, BigInteger nonce, String txHash) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(recordTransaction)) {
            byte[] hash = Hex.decode(txHash);
            ps.setLong(1, nonce.longValueExact());
            ps.setBytes(2, hash);
            ps.setBytes(3, hash);
            ps.setLong(4, nonce.longValueExact());
            ps.setBytes(5, key);
            return ps.executeUpdate() > 0;
        }
    }

    private boolean withReason(String sql, String reason, byte[] key) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, FailureReason.clean(reason == null ? "unknown error" : reason));
            ps.setBytes(2, key);
            return ps.executeUpdate() > 0;
        }
    }
}
