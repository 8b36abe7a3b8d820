package org.kmsconnector.runtime;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.kmsconnector.config.ConfigException;
import org.kmsconnector.config.ConfigLoader;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.ServiceKind;

/**
 * Lets `camel run` (Camel JBang) run one service's YAML routes: named in application.properties
 * as {@code camel.main.configuration-classes}, it assembles the service as the launcher does
 * (config, DB pool and schema, task pool, the module's beans) and hands its beans and
 * properties to JBang's Camel. The service and its files come from the launcher's variables:
 * KMS_CONNECTOR_SERVICE, KMS_CONNECTOR_CONFIG (TOML), KMS_CONNECTOR_PROPERTIES; options from
 * KMS_CONNECTOR_* as usual.
 */
public class CamelJBangConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        Map<String, String> env = System.getenv();
        ConnectorConfig config = load(env);
        ServiceRuntime runtime = ServiceRuntime.assemble(config);
        runtime.exportTo(camel);
    }

    static ConnectorConfig load(Map<String, String> env) {
        String id = env.getOrDefault("KMS_CONNECTOR_SERVICE", "").trim();
        ServiceKind kind = Arrays.stream(ServiceKind.values()).filter(k -> k.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("KMS_CONNECTOR_SERVICE must name the service to run"
                        + " (gw-listener, kms-worker or tx-sender), not '" + id + "'"));
        try {
            return ConfigLoader.load(kind, path(env, "KMS_CONNECTOR_CONFIG"), path(env, "KMS_CONNECTOR_PROPERTIES"),
                    env);
        } catch (ConfigException e) {
            throw new IllegalStateException("Invalid configuration for " + kind.id() + ":\n  "
                    + String.join("\n  ", e.problems()), e);
        }
    }

    private static Optional<Path> path(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value.trim()));
    }
}
