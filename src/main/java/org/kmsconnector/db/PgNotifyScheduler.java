package org.kmsconnector.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.support.service.ServiceSupport;
import org.kmsconnector.config.DatabaseUrl;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a polling consumer (the sql: claim) from Postgres NOTIFY: one thread LISTENs on a
 * dedicated connection and runs the poll when a notification arrives, or after the fallback
 * interval when none does. Notifications that arrive during a poll wait on the connection, so
 * none is lost; the fallback poll covers those lost while reconnecting.
 */
public final class PgNotifyScheduler extends ServiceSupport implements ScheduledPollConsumerScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(PgNotifyScheduler.class);
    private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(2);

    private final DatabaseUrl database;
    private final List<String> channels;
    private final Duration fallback;
    private CamelContext camelContext;
    private volatile Runnable task;
    private volatile Thread thread;
    private volatile Connection listening;
    private volatile boolean running;
    private String name = "pg-notify";

    public PgNotifyScheduler(DatabaseUrl database, List<String> channels, Duration fallback) {
        this.database = database;
        this.channels = List.copyOf(channels);
        this.fallback = fallback;
    }

    @Override
    public void onInit(Consumer consumer) {
        name = "pg-notify-" + consumer.getEndpoint().getCamelContext().getName() + "-" + String.join("+", channels);
    }

    @Override
    public void scheduleTask(Runnable task) {
        this.task = task;
    }

    @Override
    public void unscheduleTask() {
        this.task = null;
    }

    @Override
    public void startScheduler() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public boolean isSchedulerStarted() {
        return thread != null;
    }

    private void loop() {
        while (running) {
            boolean listened = ensureListening();
            Runnable t = task;
            if (t != null) {
                t.run();
            }
            if (!running) {
                break;
            }
            if (listened) {
                awaitNotification();
            } else {
                pause(RECONNECT_PAUSE.compareTo(fallback) < 0 ? RECONNECT_PAUSE : fallback);
            }
        }
    }

    private boolean ensureListening() {
        if (listening != null) {
            return true;
        }
        try {
            Connection c = DriverManager.getConnection(database.jdbcUrl(), listenProperties());
            try (Statement st = c.createStatement()) {
                for (String channel : channels) {
                    st.execute("LISTEN " + channel);
                }
            }
            listening = c;
            return true;
        } catch (SQLException e) {
            LOG.warn("{}: cannot LISTEN ({}); polling every {} until the database is back", name, e.getMessage(),
                    fallback);
            return false;
        }
    }

    /**
     * Bounded like the pool's connections: connect and login time out, and a statement on a stuck
     * server fails instead of hanging (the notification wait sets its own timeout per call).
     */
    private Properties listenProperties() {
        Properties p = new Properties();
        if (database.user() != null) {
            p.setProperty("user", database.user());
        }
        if (database.password() != null) {
            p.setProperty("password", database.password());
        }
        p.setProperty("connectTimeout", "10");
        p.setProperty("loginTimeout", "10");
        p.setProperty("socketTimeout", "60");
        p.setProperty("tcpKeepAlive", "true");
        return p;
    }

    private void awaitNotification() {
        try {
            PGNotification[] received = listening.unwrap(PGConnection.class)
                    .getNotifications((int) Math.max(1, Math.min(Integer.MAX_VALUE, fallback.toMillis())));
            if (received != null && received.length > 0) {
                LOG.debug("{}: woken by {} notification(s)", name, received.length);
            }
        } catch (SQLException e) {
            if (running) {
                LOG.warn("{}: lost the LISTEN connection ({}); reconnecting", name, e.getMessage());
            }
            closeQuietly();
        }
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void closeQuietly() {
        Connection c = listening;
        listening = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the connection is being thrown away anyway
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        Thread t = thread;
        thread = null;
        if (t != null) {
            t.interrupt();
            closeQuietly();
            t.join(5000);
        }
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
