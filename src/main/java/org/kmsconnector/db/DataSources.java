package org.kmsconnector.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;

/** The pooled DataSource each service shares between its routes and beans. */
public final class DataSources {
    private DataSources() {}

    public static HikariDataSource pooled(String jdbcUrl, String user, String password, int maxSize, String name) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(jdbcUrl);
        cfg.setUsername(user);
        cfg.setPassword(password);
        cfg.setMaximumPoolSize(maxSize);
        cfg.setMinimumIdle(Math.min(2, maxSize));
        cfg.setPoolName("db-" + name);
        cfg.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        // a DB that is down at start gets the original's grace (5 tries, 2 s apart) instead of an instant failure
        cfg.setInitializationFailTimeout(Duration.ofSeconds(10).toMillis());
        // statements never hang forever on a stuck server
        cfg.addDataSourceProperty("socketTimeout", "60");
        cfg.addDataSourceProperty("tcpKeepAlive", "true");
        return new HikariDataSource(cfg);
    }
}
