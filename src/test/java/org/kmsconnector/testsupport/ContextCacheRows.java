package org.kmsconnector.testsupport;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.kmsconnector.chain.Uint256;

/** Direct reads and writes of kms_context / kms_epoch, to arrange a cache state and check what the code left. */
public final class ContextCacheRows {
    /** The upstream fixtures' epoch: 0x08 followed by zeros, ending in 01. */
    public static final BigInteger DEFAULT_EPOCH_ID = BigInteger.valueOf(8).shiftLeft(248).add(BigInteger.ONE);

    public record EpochRow(boolean valid, Optional<BigInteger> contextId) {}

    private final DataSource db;

    public ContextCacheRows(DataSource db) {
        this.db = db;
    }

    /** What the upstream test fixture seeds: context 1 and DEFAULT_EPOCH_ID under it, both valid. */
    public ContextCacheRows seedDefault() throws SQLException {
        context(BigInteger.ONE, true);
        epoch(DEFAULT_EPOCH_ID, Optional.of(BigInteger.ONE), true);
        return this;
    }

    public void context(BigInteger id, boolean valid) throws SQLException {
        exec("INSERT INTO kms_context (id, is_valid, created_at, updated_at) VALUES (?, ?, NOW(), NOW())"
                + " ON CONFLICT (id) DO UPDATE SET is_valid = EXCLUDED.is_valid", le(id), valid);
    }

    public void epoch(BigInteger id, Optional<BigInteger> context, boolean valid) throws SQLException {
        exec("INSERT INTO kms_epoch (id, context_id, is_valid, created_at, updated_at) VALUES (?, ?, ?, NOW(), NOW())"
                + " ON CONFLICT (id) DO UPDATE SET context_id = EXCLUDED.context_id, is_valid = EXCLUDED.is_valid",
                le(id), context.map(ContextCacheRows::le).orElse(null), valid);
    }

    /** empty = no row; otherwise its is_valid */
    public Optional<Boolean> context(BigInteger id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT is_valid FROM kms_context WHERE id = ?")) {
            st.setBytes(1, le(id));
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
            }
        }
    }

    public Optional<EpochRow> epoch(BigInteger id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT is_valid, context_id FROM kms_epoch WHERE id = ?")) {
            st.setBytes(1, le(id));
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                byte[] ctx = rs.getBytes(2);
                return Optional.of(new EpochRow(rs.getBoolean(1),
                        Optional.ofNullable(ctx).map(Uint256::fromLittleEndian)));
            }
        }
    }

    public long count(String table) throws SQLException {
        try (Connection c = db.getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void exec(String sql, Object... params) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                if (params[i] == null) {
                    st.setNull(i + 1, java.sql.Types.BINARY);
                } else {
                    st.setObject(i + 1, params[i]);
                }
            }
            st.executeUpdate();
        }
    }

    private static byte[] le(BigInteger id) {
        return Uint256.toLittleEndian(id);
    }
}
