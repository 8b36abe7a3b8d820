package org.kmsconnector.db;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.kmsconnector.chain.Uint256;

/**
 * The local cache of KMS context and epoch validity (tables kms_context, kms_epoch; ids as
 * 32-byte little-endian). The gw-listener seeds and revalidates it at start and invalidates it
 * on destruction events; the kms-worker reads it and adds pairs it found valid on chain. A row
 * marked invalid is never made valid again here: destruction is final.
 */
public final class KmsContextCache {
    /** What one lookup found: the context row, and the epoch row when an epoch was asked for. */
    public record Lookup(boolean contextCached, boolean contextValid, boolean epochCached, boolean epochValid,
            Optional<BigInteger> epochContextId) {}

    public record CachedEpoch(BigInteger id, Optional<BigInteger> contextId) {}

    private static final String LOOKUP = "SELECT c.is_valid, e.id IS NOT NULL, e.is_valid, e.context_id"
            + " FROM kms_context c LEFT JOIN kms_epoch e ON e.id = ? WHERE c.id = ?";
    private static final String INSERT_CONTEXT = "INSERT INTO kms_context (id, is_valid, created_at, updated_at)"
            + " VALUES (?, TRUE, NOW(), NOW()) ON CONFLICT (id) DO NOTHING";
    private static final String INSERT_EPOCH = "INSERT INTO kms_epoch (id, context_id, is_valid, created_at, updated_at)"
            + " VALUES (?, ?, TRUE, NOW(), NOW()) ON CONFLICT (id) DO NOTHING";
    /** Repairs the epoch's context but leaves is_valid alone, so a destruction racing this write wins. */
    private static final String UPSERT_EPOCH_CONTEXT = "INSERT INTO kms_epoch"
            + " (id, context_id, is_valid, created_at, updated_at) VALUES (?, ?, TRUE, NOW(), NOW())"
            + " ON CONFLICT (id) DO UPDATE SET context_id = EXCLUDED.context_id, updated_at = EXCLUDED.updated_at";
    private static final String INVALIDATE_CONTEXT = "INSERT INTO kms_context (id, is_valid, created_at, updated_at)"
            + " VALUES (?, FALSE, NOW(), NOW()) ON CONFLICT (id) DO UPDATE SET is_valid = FALSE, updated_at = NOW()";
    private static final String INVALIDATE_EPOCH = "INSERT INTO kms_epoch (id, context_id, is_valid, created_at,"
            + " updated_at) VALUES (?, NULL, FALSE, NOW(), NOW())"
            + " ON CONFLICT (id) DO UPDATE SET is_valid = FALSE, updated_at = NOW()";
    private static final String DELETE_ORPHAN_EPOCH =
            "DELETE FROM kms_epoch WHERE id = ? AND context_id IS NULL AND is_valid";

    private final DataSource db;

    public KmsContextCache(DataSource db) {
        this.db = db;
    }

    /** One query: the context row LEFT JOIN the epoch row (no epoch asked: never joins). */
    public Lookup lookup(BigInteger contextId, Optional<BigInteger> epochId) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(LOOKUP)) {
            if (epochId.isPresent()) {
                st.setBytes(1, le(epochId.get()));
            } else {
                st.setNull(1, Types.BINARY);
            }
            st.setBytes(2, le(contextId));
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return new Lookup(false, false, false, false, Optional.empty());
                }
                byte[] epochContext = rs.getBytes(4);
                return new Lookup(true, rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3),
                        Optional.ofNullable(epochContext).map(Uint256::fromLittleEndian));
            }
        }
    }

    /** A pair ProtocolConfig says is valid: context inserted if new, epoch (re)attached to it. */
    public void cacheValidPair(BigInteger contextId, BigInteger epochId) throws SQLException {
        inTransaction(c -> {
            update(c, INSERT_CONTEXT, le(contextId));
            update(c, UPSERT_EPOCH_CONTEXT, le(epochId), le(contextId));
        });
    }

    /** The active pair at start: both stored valid unless already known (a known invalid row stays invalid). */
    public void seedCurrent(BigInteger contextId, BigInteger epochId) throws SQLException {
        inTransaction(c -> {
            update(c, INSERT_CONTEXT, le(contextId));
            update(c, INSERT_EPOCH, le(epochId), le(contextId));
        });
    }

    public List<BigInteger> validContexts() throws SQLException {
        List<BigInteger> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT id FROM kms_context WHERE is_valid ORDER BY id"); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(Uint256.fromLittleEndian(rs.getBytes(1)));
            }
        }
        return out;
    }

    public List<CachedEpoch> validEpochs() throws SQLException {
        List<CachedEpoch> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT id, context_id FROM kms_epoch WHERE is_valid ORDER BY id"); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                byte[] ctx = rs.getBytes(2);
                out.add(new CachedEpoch(Uint256.fromLittleEndian(rs.getBytes(1)),
                        Optional.ofNullable(ctx).map(Uint256::fromLittleEndian)));
            }
        }
        return out;
    }

    public void invalidateContext(BigInteger contextId) throws SQLException {
        inTransaction(c -> invalidateContext(c, contextId));
    }

    public void invalidateEpoch(BigInteger epochId) throws SQLException {
        inTransaction(c -> invalidateEpoch(c, epochId));
    }

    /** Upserted: a destruction is recorded even for an id never cached, and wins over any later valid write. */
    public static void invalidateContext(Connection c, BigInteger contextId) throws SQLException {
        update(c, INVALIDATE_CONTEXT, le(contextId));
    }

    /** Upserted like a context; a new row has no context_id. */
    public static void invalidateEpoch(Connection c, BigInteger epochId) throws SQLException {
        update(c, INVALIDATE_EPOCH, le(epochId));
    }

    /** The only delete of the code base: a valid epoch that knows no context cannot be revalidated. */
    public void deleteOrphanEpoch(BigInteger epochId) throws SQLException {
        inTransaction(c -> update(c, DELETE_ORPHAN_EPOCH, le(epochId)));
    }

    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(Work work) throws SQLException {
        try (Connection c = db.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    private static void update(Connection c, String sql, byte[]... params) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setBytes(i + 1, params[i]);
            }
            st.executeUpdate();
        }
    }

    private static byte[] le(BigInteger id) {
        return Uint256.toLittleEndian(id);
    }
}
