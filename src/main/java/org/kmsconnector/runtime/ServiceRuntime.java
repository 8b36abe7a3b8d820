package org.kmsconnector.runtime;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.Main;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.DatabaseUrl;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.db.DataSources;
import org.kmsconnector.db.Migrations;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.HealthChecks;
import org.kmsconnector.monitoring.MonitoringEndpoints;
import org.kmsconnector.monitoring.MonitoringServer;
import org.kmsconnector.monitoring.PipelineStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service assembled: its DB pool and schema, its task pool, and a Camel Main holding only
 * its routes (routes/&lt;service&gt;/) and the beans its module binds. The launcher runs it in
 * the foreground; tests run the same assembly in the background.
 */
public final class ServiceRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);

    private final ConnectorConfig config;
    private final ServiceExit exit = new ServiceExit();
    private final ConnectorMetrics metrics;
    private HikariDataSource dataSource;
    private ServiceModule module;
    private ThreadPoolExecutor tasks;
    private HealthChecks health;
    private Main main;
    private Thread background;

    private ServiceRuntime(ConnectorConfig config, ConnectorMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    public static ServiceRuntime assemble(ConnectorConfig config) throws Exception {
        return assemble(config, ConnectorMetrics.prometheus());
    }

    public static ServiceRuntime assemble(ConnectorConfig config, ConnectorMetrics metrics) throws Exception {
        ServiceRuntime rt = new ServiceRuntime(config, metrics);
        try {
            rt.build();
            return rt;
        } catch (Exception e) {
            rt.close();
            throw e;
        }
    }

    private void build() throws Exception {
        ServiceKind kind = config.kind();
        config.warnings().forEach(w -> LOG.warn("Configuration: {}", w));
        MonitoringServer.requireBindable(config.string("monitoring_endpoint"));
        DatabaseUrl db = config.database();
        dataSource = DataSources.pooled(db.jdbcUrl(), db.user(), db.password(), config.integer("database_pool_size"),
                kind.id());
        if (config.bool("database_migrate_on_start")) {
            Migrations.migrate(dataSource);
        }
        tasks = TaskPool.create(kind.id(), config.integer("task_limit"));
        health = new HealthChecks(config.duration("healthcheck_timeout"));
        health.register("database_connected", () -> {
            try (Connection c = dataSource.getConnection()) {
                if (!c.isValid((int) Math.max(1, config.duration("healthcheck_timeout").toSeconds()))) {
                    throw new IllegalStateException("the connection is not valid");
                }
            }
        });
        main = new Main();
        main.configure().withName(config.string("service_name"))
                .withRoutesIncludePattern("classpath:routes/" + kind.id() + "/*.camel.yaml,"
                        + "classpath:routes/shared/*.camel.yaml,classpath:routes/monitoring/*.camel.yaml")
                .withJmxEnabled(false)
                .withShutdownTimeout(15);
        Properties props = new Properties();
        props.putAll(config.camelProperties());
        props.putAll(MonitoringServer.camelProperties(config.string("monitoring_endpoint")));
        main.setInitialProperties(props);
        main.bind("dataSource", dataSource);
        main.bind("connectorMetrics", metrics);
        main.bind("taskPool", tasks);
        main.bind("monitoringEndpoints", new MonitoringEndpoints(kind.id(), health, metrics));
        main.bind("pipelineStatus", new PipelineStatus(dataSource));
        module = moduleFor(kind);
        module.bind(main, new ServiceModule.Context(config, dataSource, metrics, exit, health));
        exit.onFatal(main::completed);
    }

    static ServiceModule moduleFor(ServiceKind kind) {
        return ServiceLoader.load(ServiceModule.class).stream().map(ServiceLoader.Provider::get)
                .filter(m -> m.kind() == kind).findFirst()
                .orElseThrow(() -> new IllegalStateException("no module for " + kind.id() + " in META-INF/services"));
    }

    /** Runs until SIGINT/SIGTERM or a fatal error; returns the process exit code. */
    public int runInForeground() throws Exception {
        LOG.info("Starting {} ({})", config.kind().id(), config.string("service_name"));
        main.run();
        return exit.exitCode();
    }

    /** Starts the service on a thread of its own and waits until every route runs. */
    public void startInBackground(Duration timeout) throws InterruptedException {
        background = new Thread(() -> {
            try {
                main.run();
            } catch (Exception e) {
                LOG.error("{} stopped: {}", config.kind().id(), e.getMessage(), e);
            }
        }, config.kind().id() + "-main");
        background.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            CamelContext camel = main.getCamelContext();
            if (camel != null && camel.isStarted() && !camel.getRoutes().isEmpty() && camel.getRoutes().stream()
                    .allMatch(r -> camel.getRouteController().getRouteStatus(r.getId()) == ServiceStatus.Started)) {
                return;
            }
            if (!background.isAlive()) {
                throw new IllegalStateException(config.kind().id() + " stopped during start");
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(config.kind().id() + " did not start within " + timeout);
    }

    /**
     * Hands this service to a Camel this runtime does not run (Camel JBang's): its beans and
     * properties are copied there, a fatal error stops that Camel, and its stop closes this.
     */
    public void exportTo(CamelContext camel) throws Exception {
        main.lookupByType(Object.class).forEach(camel.getRegistry()::bind);
        main.getInitialProperties().forEach((k, v) -> camel.getPropertiesComponent()
                .addInitialProperty(k.toString(), v.toString()));
        exit.onFatal(camel::stop);
        camel.addService(new org.apache.camel.support.service.ServiceSupport() {
            @Override
            protected void doStop() {
                ServiceRuntime.this.close();
            }
        }, true, true);
    }

    /** The running Camel context (null before start). */
    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    public ConnectorMetrics metrics() {
        return metrics;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    public ServiceExit exit() {
        return exit;
    }

    public HealthChecks health() {
        return health;
    }

    @Override
    public void close() {
        if (main != null && background != null) {
            main.completed();
            try {
                background.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (tasks != null) {
            tasks.shutdown();
            try {
                if (!tasks.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("Tasks still running at shutdown; their rows return to pending through the recovery job");
                    tasks.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                tasks.shutdownNow();
            }
        }
        if (module != null) {
            module.close();
        }
        if (health != null) {
            health.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }
}
