package org.kmsconnector.sender;

import io.micrometer.core.instrument.Gauge;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.kmsconnector.db.OperationSql;
import org.kmsconnector.db.OperationTable;
import org.kmsconnector.db.Operations;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kms_connector_unprocessed_operations{table, status}: how many rows of each live table are
 * pending or under process, counted every gauge_update_interval. A table that cannot be counted
 * keeps its last values and is logged; the others are still counted.
 */
public final class BacklogGauges {
    private static final Logger LOG = LoggerFactory.getLogger(BacklogGauges.class);
    private static final List<String> STATUSES = List.of("pending", "under_process");

    private final DataSource dataSource;
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

    public BacklogGauges(DataSource dataSource, ConnectorMetrics metrics) {
        this.dataSource = dataSource;
        for (OperationTable table : Operations.liveTables()) {
            for (String status : STATUSES) {
                AtomicLong v = new AtomicLong();
                values.put(key(table.name(), status), v);
                Gauge.builder(Metrics.UNPROCESSED, v, AtomicLong::doubleValue).tag("table", table.name())
                        .tag("status", status)
                        .description("rows waiting or in work").register(metrics.registry());
            }
        }
    }

    /** Counts every table; never throws. */
    public void update() {
        for (OperationTable table : Operations.liveTables()) {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement(OperationSql.backlog(table))) {
                ps.setQueryTimeout(30);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    values.get(key(table.name(), "pending")).set(rs.getLong(1));
                    values.get(key(table.name(), "under_process")).set(rs.getLong(2));
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Gauges: cannot count {}: {}", table.name(), e.getMessage());
            }
        }
    }

    /** The last count, for tests and the status line. */
    public long value(String table, String status) {
        AtomicLong v = values.get(key(table, status));
        return v == null ? -1 : v.get();
    }

    private static String key(String table, String status) {
        return table + "/" + status;
    }
}
