package org.kmsconnector.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the schema with Flyway. A database created by the original connector (its tables are
 * there, Flyway's history is not) is baselined at version 1, so only this implementation's
 * additions run on it.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {}

    public static void migrate(DataSource dataSource) {
        boolean upstreamSchema = hasUpstreamSchemaWithoutHistory(dataSource);
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .baselineOnMigrate(upstreamSchema)
                .baselineVersion("1")
                .baselineDescription("schema of the original connector")
                .load();
        if (upstreamSchema) {
            LOG.info("Found the original connector's schema: baselining it at version 1");
        }
        MigrateResult result = flyway.migrate();
        LOG.info("Database schema at version {} ({} migration(s) applied)",
                result.targetSchemaVersion == null ? flyway.info().current().getVersion() : result.targetSchemaVersion,
                result.migrationsExecuted);
    }

    private static boolean hasUpstreamSchemaWithoutHistory(DataSource dataSource) {
        try (Connection c = dataSource.getConnection();
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT to_regclass('public_decryption_requests') IS NOT NULL,"
                                + " to_regclass('flyway_schema_history') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1) && !rs.getBoolean(2);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot inspect the database schema: " + e.getMessage(), e);
        }
    }
}
