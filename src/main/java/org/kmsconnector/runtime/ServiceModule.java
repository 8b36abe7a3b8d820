package org.kmsconnector.runtime;

import javax.sql.DataSource;
import org.apache.camel.main.Main;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.HealthChecks;

/**
 * What one service adds to a Camel Main: its beans; its routes come from routes/&lt;service&gt;/.
 * The services are found with {@link java.util.ServiceLoader} (META-INF/services), so this
 * package, which assembles them, does not depend on them.
 */
public interface ServiceModule extends AutoCloseable {

    /** The service this module assembles. */
    ServiceKind kind();

    /** Everything a module may need from the launcher. */
    record Context(ConnectorConfig config, DataSource dataSource, ConnectorMetrics metrics, ServiceExit exit,
            HealthChecks health) {}

    void bind(Main main, Context context) throws Exception;

    @Override
    default void close() {}
}
