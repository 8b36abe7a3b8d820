package org.kmsconnector.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.ServiceKind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How `camel run` learns which service to assemble (scripts/jbang-smoke.sh runs it for real). */
class CamelJBangConfigurationTest {
    @TempDir
    Path dir;

    @Test
    void theServiceAndItsFilesComeFromTheLauncherVariables() throws Exception {
        Path props = Files.writeString(dir.resolve("ops.properties"), "kms_connector.events_batch_size=9\n");
        ConnectorConfig cfg = CamelJBangConfiguration.load(Map.of("KMS_CONNECTOR_SERVICE", "kms-worker",
                "KMS_CONNECTOR_CONFIG", "config/kms-worker.toml", "KMS_CONNECTOR_PROPERTIES", props.toString(),
                "KMS_CONNECTOR_TASK_LIMIT", "7"));
        assertEquals(ServiceKind.KMS_WORKER, cfg.kind());
        assertEquals(9, cfg.integer("events_batch_size"));
        assertEquals(7, cfg.integer("task_limit"));
        assertEquals(java.util.List.of(), cfg.warnings());
    }

    @Test
    void aMissingServiceOrABadConfigIsOneClearError() {
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> CamelJBangConfiguration.load(Map.of()));
        assertTrue(none.getMessage().contains("KMS_CONNECTOR_SERVICE must name the service"), none::getMessage);
        IllegalStateException bad = assertThrows(IllegalStateException.class, () -> CamelJBangConfiguration.load(
                Map.of("KMS_CONNECTOR_SERVICE", "gw-listener", "KMS_CONNECTOR_CONFIG", "config/gw-listener.toml",
                        "KMS_CONNECTOR_GATEWAY_CHAIN_ID", "main")));
        assertTrue(bad.getMessage().startsWith("Invalid configuration for gw-listener:\n  gateway_chain_id"),
                bad::getMessage);
    }
}
