package org.kmsconnector.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.component.timer.TimerEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconnector.config.ConfigException;
import org.kmsconnector.config.ConfigLoader;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.runtime.ServiceRuntime;
import org.kmsconnector.testsupport.ServiceEnv;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A properties file (--properties, or ./application.properties) over the TOML file, under the env. */
@UsesRealParts
class PropertiesFileTest {
    @TempDir
    Path dir;

    @Test
    void optionsAndCamelKeysFromThePropertiesFileReachTheRunningCamel() throws Exception {
        Path props = dir.resolve("override.properties");
        Files.writeString(props, """
                # an operator's overrides
                kms_connector.decryption_polling = 1234ms
                kms_connector.get_logs_batch_size = 7
                camel.main.logMask = true
                camel.main.shutdownTimeout = 7
                """);
        try (DevDatabase db = TestInfra.database("properties_file")) {
            ServiceEnv env = ServiceEnv.of(ServiceKind.GW_LISTENER, db, TestInfra.anvil(),
                    "0x00000000000000000000000000000000000000ed");
            ConnectorConfig cfg = ConfigLoader.load(ServiceKind.GW_LISTENER, Optional.empty(), Optional.of(props),
                    env.asMap());
            assertEquals(Duration.ofMillis(1234), cfg.duration("decryption_polling"));
            try (ServiceRuntime rt = ServiceRuntime.assemble(cfg)) {
                rt.startInBackground(Duration.ofSeconds(30));
                CamelContext camel = rt.camelContext();
                assertTrue(camel.isLogMask(), "camel.main.logMask from the file configures Camel");
                assertEquals(7, camel.getShutdownStrategy().getTimeout());
                TimerEndpoint timer = camel.getEndpoints().stream().filter(TimerEndpoint.class::isInstance)
                        .map(TimerEndpoint.class::cast).filter(t -> t.getTimerName().equals("gw-listener-gateway"))
                        .findFirst().orElseThrow();
                assertEquals(1234, timer.getPeriod(), "the route's placeholder carries the file's value");
                assertEquals("7", camel.resolvePropertyPlaceholders("{{kms_connector.get_logs_batch_size}}"));
            }
        }
    }

    @Test
    void theEnvironmentWinsOverThePropertiesFileWhichWinsOverToml() throws Exception {
        Path toml = dir.resolve("gw-listener.toml");
        Files.writeString(toml, Files.readString(Path.of("config/gw-listener.toml"))
                .replace("# decryption_polling = \"500ms\"", "decryption_polling = \"900ms\""));
        Path props = dir.resolve("p.properties");
        Files.writeString(props, "kms_connector.decryption_polling=300ms\nkms_connector.task_limit=5\n"
                + "camel.main.tracing=true\nunrelated.key=1\n");
        ConnectorConfig cfg = ConfigLoader.load(ServiceKind.GW_LISTENER, Optional.of(toml), Optional.of(props),
                java.util.Map.of("KMS_CONNECTOR_TASK_LIMIT", "9"));
        assertEquals(Duration.ofMillis(300), cfg.duration("decryption_polling"));
        assertEquals(9, cfg.integer("task_limit"));
        assertEquals("true", cfg.camelProperties().get("camel.main.tracing"));
        assertFalse(cfg.camelProperties().containsKey("unrelated.key"));
        assertTrue(cfg.warnings().stream().anyMatch(w -> w.contains("'unrelated.key'")), cfg.warnings()::toString);
        assertTrue(cfg.printable().contains("decryption_polling = 300ms   # properties p.properties"), cfg.printable());
    }

    @Test
    void aBadValueInThePropertiesFileNamesItsSource() throws Exception {
        Path props = dir.resolve("bad.properties");
        Files.writeString(props, "kms_connector.gateway_chain_id=main\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(ServiceKind.GW_LISTENER,
                Optional.of(Path.of("config/gw-listener.toml")), Optional.of(props), java.util.Map.of()));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("gateway_chain_id (KMS_CONNECTOR_GATEWAY_CHAIN_ID)")
                && p.contains("properties bad.properties")), e.problems()::toString);
    }

    @Test
    void theLaunchersOwnVariablesAreNotReportedAsUnknownOptions() throws Exception {
        ConnectorConfig cfg = ConfigLoader.load(ServiceKind.GW_LISTENER, Optional.of(Path.of("config/gw-listener.toml")),
                java.util.Map.of("KMS_CONNECTOR_SERVICE", "gw-listener", "KMS_CONNECTOR_CONFIG", "/x.toml",
                        "KMS_CONNECTOR_PROPERTIES", "/x.properties"));
        assertEquals(java.util.List.of(), cfg.warnings());
    }
}
