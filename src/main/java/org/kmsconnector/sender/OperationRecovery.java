package org.kmsconnector.sender;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.kmsconnector.db.OperationSql;
import org.kmsconnector.db.OperationTable;
import org.kmsconnector.db.Operations;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recovery job, run by the tx-sender every operation_recovery_run_interval for the whole
 * connector: (1) decryptions older than decryption_expiry that are still pending or under process
 * are failed; (2) rows of every live request and response table left under_process for longer
 * than operation_under_process_timeout (their claimer died or hung) go back to pending. Both only
 * move rows from the states they expect; each table is its own statement, so one failing table
 * (e.g. a lock timeout) is logged and counted and the others still run.
 */
public final class OperationRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(OperationRecovery.class);

    private final DataSource dataSource;
    private final Duration decryptionExpiry;
    private final Duration underProcessTimeout;
    private final ConnectorMetrics metrics;

    public OperationRecovery(DataSource dataSource, Duration decryptionExpiry, Duration underProcessTimeout,
            ConnectorMetrics metrics) {
        this.dataSource = dataSource;
        this.decryptionExpiry = decryptionExpiry;
        this.underProcessTimeout = underProcessTimeout;
        this.metrics = metrics;
    }

    /** One run; never throws. @return rows changed per "action:table", for logs and tests */
    public Map<String, Integer> run() {
        Map<String, Integer> changed = new LinkedHashMap<>();
        String expired = "expired: older than decryption_expiry (" + decryptionExpiry + ")";
        for (OperationTable table : Operations.expiringTables()) {
            apply(changed, "expired", table.name(), OperationSql.expire(table), expired, decryptionExpiry);
        }
        String released = "released: under_process for longer than operation_under_process_timeout ("
                + underProcessTimeout + "); the claimer died or hung";
        for (OperationTable table : Operations.liveTables()) {
            apply(changed, "released", table.name(), OperationSql.release(table), released, underProcessTimeout);
        }
        return changed;
    }

    private void apply(Map<String, Integer> changed, String action, String table, String sql, String reason,
            Duration age) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setQueryTimeout(60);
            ps.setString(1, reason);
            ps.setDouble(2, age.toMillis() / 1000.0);
            int n = ps.executeUpdate();
            if (n > 0) {
                changed.put(action + ":" + table, n);
                metrics.increment(Metrics.SENDER_RECOVERED, "table", table, n);
                LOG.warn("Recovery: {} {} row(s) of {} ({})", action, n, table,
                        action.equals("expired") ? "now failed" : "now pending");
            }
        } catch (SQLException | RuntimeException e) {
            metrics.increment(Metrics.SENDER_RECOVERY_ERRORS, "table", table);
            LOG.error("Recovery: cannot {} rows of {}: {}", action.equals("expired") ? "expire" : "release", table,
                    e.getMessage());
        }
    }
}
