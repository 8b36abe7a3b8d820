package org.kmsconnector.cli;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Properties;
import org.apache.camel.main.Main;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.DatabaseUrl;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.db.DataSources;
import org.kmsconnector.db.Migrations;
import org.kmsconnector.listener.GwListenerModule;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.sender.TxSenderModule;
import org.kmsconnector.worker.KmsWorkerModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one service: DB pool and schema, then a Camel Main holding only that service's routes and beans. */
public final class ServiceLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceLauncher.class);

    private ServiceLauncher() {}

    /** Blocks until the service stops; returns the process exit code. */
    public static int run(ConnectorConfig config) throws Exception {
        ServiceKind kind = config.kind();
        ServiceExit exit = new ServiceExit();
        DatabaseUrl db = config.database();
        try (HikariDataSource dataSource = DataSources.pooled(db.jdbcUrl(), db.user(), db.password(),
                        config.integer("database_pool_size"), kind.id());
                ServiceModule module = moduleFor(kind)) {
            if (config.bool("database_migrate_on_start")) {
                Migrations.migrate(dataSource);
            }
            ConnectorMetrics metrics = ConnectorMetrics.inMemory();
            Main main = new Main();
            main.configure().withName(config.string("service_name"))
                    .withRoutesIncludePattern("classpath:routes/" + kind.id() + "/*.camel.yaml")
                    .withJmxEnabled(false);
            Properties props = new Properties();
            props.putAll(config.camelProperties());
            main.setInitialProperties(props);
            main.bind("dataSource", dataSource);
            main.bind("connectorMetrics", metrics);
            module.bind(main, new ServiceModule.Context(config, dataSource, metrics, exit));
            exit.onFatal(main::completed);
            LOG.info("Starting {} ({})", kind.id(), config.string("service_name"));
            main.run();
        }
        return exit.exitCode();
    }

    static ServiceModule moduleFor(ServiceKind kind) {
        return switch (kind) {
            case GW_LISTENER -> new GwListenerModule();
            case KMS_WORKER -> new KmsWorkerModule();
            case TX_SENDER -> new TxSenderModule();
        };
    }
}
