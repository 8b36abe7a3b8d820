package org.kmsconnector.listener;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.kmsconnector.chain.Uint256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a polled range: every event (idempotent inserts) and the chain checkpoint in one
 * transaction, so a crash leaves either both or neither and a restart resumes exactly.
 */
public final class GatewayEventStore {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayEventStore.class);
    /** Empty OTLP context map in the upstream bincode layout (u64 LE count = 0). */
    static final byte[] EMPTY_OTLP_CONTEXT = new byte[8];

    private static final String INSERT_PUBLIC = "INSERT INTO public_decryption_requests"
            + " (decryption_id, ct_handles, extra_data, tx_hash, created_at, otlp_context)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    // legacy rows leave the RFC016 columns NULL: a NULL signature is what marks them legacy
    private static final String INSERT_USER = "INSERT INTO user_decryption_requests"
            + " (decryption_id, ct_handles, user_address, public_key, extra_data, tx_hash, created_at, otlp_context,"
            + " handle_owner_addresses, handle_contract_addresses, allowed_contracts, start_timestamp,"
            + " duration_seconds, signature)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String ADVANCE_CHECKPOINT = "UPDATE last_block_polled_by_chain"
            + " SET block_number = ?, updated_at = now()"
            + " WHERE chain_name = ? AND (block_number IS NULL OR block_number < ?)";
    private static final String READ_CHECKPOINT =
            "SELECT block_number FROM last_block_polled_by_chain WHERE chain_name = ?";

    private final DataSource dataSource;
    private final String chainName;

    public GatewayEventStore(DataSource dataSource, String chainName) {
        this.dataSource = dataSource;
        this.chainName = chainName;
    }

    /** @return how many events were new (the others were already stored, e.g. by another listener) */
    public int store(List<GatewayEvent> events, BlockRange range) throws SQLException {
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            try {
                int inserted = insert(conn, events);
                try (PreparedStatement ps = conn.prepareStatement(ADVANCE_CHECKPOINT)) {
                    ps.setLong(1, range.to());
                    ps.setString(2, chainName);
                    ps.setLong(3, range.to());
                    ps.executeUpdate();
                }
                conn.commit();
                if (inserted < events.size()) {
                    LOG.info("{} of {} events in blocks {}..{} were already stored", events.size() - inserted,
                            events.size(), range.from(), range.to());
                }
                return inserted;
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        }
    }

    public OptionalLong lastPolled() throws SQLException {
        try (Connection conn = dataSource.getConnection();
                PreparedStatement ps = conn.prepareStatement(READ_CHECKPOINT)) {
            ps.setString(1, chainName);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("last_block_polled_by_chain has no row for '" + chainName
                            + "': the schema migration seeds it");
                }
                long block = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(block);
            }
        }
    }

    private static int insert(Connection conn, List<GatewayEvent> events) throws SQLException {
        int inserted = 0;
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement publicRows = conn.prepareStatement(INSERT_PUBLIC);
                PreparedStatement userRows = conn.prepareStatement(INSERT_USER)) {
            for (GatewayEvent event : events) {
                if (event instanceof PublicDecryptionRequested e) {
                    inserted += insertPublic(conn, publicRows, e, now);
                } else if (event instanceof UserDecryptionRequested e) {
                    inserted += insertUser(conn, userRows, e, now);
                } else {
                    throw new IllegalArgumentException("no table for " + event.getClass().getSimpleName());
                }
            }
        }
        return inserted;
    }

    private static int insertPublic(Connection conn, PreparedStatement ps, PublicDecryptionRequested e, Timestamp now)
            throws SQLException {
        ps.setBytes(1, Uint256.toLittleEndian(e.decryptionId()));
        ps.setArray(2, byteaArray(conn, e.ctHandles()));
        ps.setBytes(3, e.extraData());
        ps.setBytes(4, e.txHash());
        ps.setTimestamp(5, now);
        ps.setBytes(6, EMPTY_OTLP_CONTEXT);
        return ps.executeUpdate();
    }

    private static int insertUser(Connection conn, PreparedStatement ps, UserDecryptionRequested e, Timestamp now)
            throws SQLException {
        ps.setBytes(1, Uint256.toLittleEndian(e.decryptionId()));
        ps.setArray(2, byteaArray(conn, e.ctHandles()));
        ps.setBytes(3, e.userAddress());
        ps.setBytes(4, e.publicKey());
        ps.setBytes(5, e.extraData());
        ps.setBytes(6, e.txHash());
        ps.setTimestamp(7, now);
        ps.setBytes(8, EMPTY_OTLP_CONTEXT);
        if (e.unified().isPresent()) {
            UserDecryptionRequested.Unified u = e.unified().get();
            ps.setArray(9, byteaArray(conn, u.ownerAddresses()));
            ps.setArray(10, byteaArray(conn, u.contractAddresses()));
            ps.setArray(11, byteaArray(conn, u.allowedContracts()));
            ps.setLong(12, u.startTimestamp());
            ps.setLong(13, u.durationSeconds());
            ps.setBytes(14, u.signature());
        } else {
            for (int i = 9; i <= 11; i++) {
                ps.setNull(i, Types.ARRAY);
            }
            ps.setNull(12, Types.BIGINT);
            ps.setNull(13, Types.BIGINT);
            ps.setNull(14, Types.BINARY);
        }
        return ps.executeUpdate();
    }

    private static java.sql.Array byteaArray(Connection conn, List<byte[]> values) throws SQLException {
        return conn.createArrayOf("bytea", values.toArray(new byte[0][]));
    }
}
