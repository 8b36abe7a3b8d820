package org.kmsconnector.cli;

import com.zaxxer.hikari.HikariDataSource;
import java.util.concurrent.Callable;
import org.kmsconnector.config.DatabaseUrl;
import org.kmsconnector.db.DataSources;
import org.kmsconnector.db.Migrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** kms-connector db migrate: applies the schema, as each service also does at start unless disabled. */
@Command(name = "db", description = "Database tasks.", subcommands = DbCommand.Migrate.class,
        mixinStandardHelpOptions = true)
final class DbCommand {

    @Command(name = "migrate", description = "Apply the schema migrations.", mixinStandardHelpOptions = true)
    static final class Migrate implements Callable<Integer> {
        @Option(names = "--database-url", description = "libpq URI; default: env KMS_CONNECTOR_DATABASE_URL")
        String databaseUrl;

        @Override
        public Integer call() {
            String url = databaseUrl != null ? databaseUrl : System.getenv("KMS_CONNECTOR_DATABASE_URL");
            if (url == null || url.isBlank()) {
                System.err.println("database_url (KMS_CONNECTOR_DATABASE_URL): required; expected a URI like "
                        + "postgres://user:password@localhost:5432/kms_connector");
                return 1;
            }
            try {
                DatabaseUrl db = DatabaseUrl.parse(url);
                try (HikariDataSource ds = DataSources.pooled(db.jdbcUrl(), db.user(), db.password(), 2, "migrate")) {
                    Migrations.migrate(ds);
                }
                return 0;
            } catch (Exception e) {
                System.err.println("db migrate failed on " + DatabaseUrl.masked(url) + ": " + StartupFailure.describe(e));
                return 1;
            }
        }
    }
}
