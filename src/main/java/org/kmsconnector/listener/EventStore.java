package org.kmsconnector.listener;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.db.ColumnValues;
import org.kmsconnector.db.OperationSql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a polled range of one chain: every event in its kind's request table (idempotent inserts,
 * built from the catalogue) and the chain's checkpoint, in one transaction, so a crash leaves
 * either both or neither and a restart resumes exactly. The commit fires the tables' NOTIFYs.
 */
public final class EventStore {
    private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);
    /** Empty OTLP context map in the upstream bincode layout (u64 LE count = 0). */
    static final byte[] EMPTY_OTLP_CONTEXT = new byte[8];

    private static final String ADVANCE_CHECKPOINT = "UPDATE last_block_polled_by_chain"
            + " SET block_number = ?, updated_at = now()"
            + " WHERE chain_name = ? AND (block_number IS NULL OR block_number < ?)";
    private static final String READ_CHECKPOINT =
            "SELECT block_number FROM last_block_polled_by_chain WHERE chain_name = ?";

    private final DataSource dataSource;
    private final String chainName;

    /** @param chainName the checkpoint's row: {@code gateway} or {@code ethereum} */
    public EventStore(DataSource dataSource, String chainName) {
        this.dataSource = dataSource;
        this.chainName = chainName;
    }

    /** @return how many events were new (the others were already stored, e.g. by another listener) */
    public int store(List<ChainEvent> events, BlockRange range) throws SQLException {
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
                    LOG.info("{} of {} {} events in blocks {}..{} were already stored", events.size() - inserted,
                            events.size(), chainName, range.from(), range.to());
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

    /** One prepared statement per shape of insert (kind and set of columns) within the transaction. */
    private static int insert(Connection conn, List<ChainEvent> events) throws SQLException {
        Map<String, PreparedStatement> statements = new HashMap<>();
        int inserted = 0;
        Timestamp now = Timestamp.from(Instant.now());
        try {
            for (ChainEvent event : events) {
                Map<String, Object> columns = event.columns();
                String sql = OperationSql.insertRequest(event.kind().requests(), new ArrayList<>(columns.keySet()));
                PreparedStatement ps = statements.get(sql);
                if (ps == null) {
                    ps = conn.prepareStatement(sql);
                    statements.put(sql, ps);
                }
                int i = 1;
                ps.setBytes(i++, Uint256.toLittleEndian(event.key()));
                for (Map.Entry<String, Object> column : columns.entrySet()) {
                    i = ColumnValues.bind(conn, ps, i, event.kind().requests().column(column.getKey()),
                            column.getValue());
                }
                ps.setBytes(i++, event.txHash());
                ps.setTimestamp(i++, now);
                ps.setBytes(i, EMPTY_OTLP_CONTEXT);
                inserted += ps.executeUpdate();
                event.alsoWrite(conn);
            }
        } finally {
            for (PreparedStatement ps : statements.values()) {
                ps.close();
            }
        }
        return inserted;
    }
}
