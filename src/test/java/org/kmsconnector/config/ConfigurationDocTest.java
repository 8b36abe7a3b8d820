package org.kmsconnector.config;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigurationDocTest {

    @Test
    void committedReferenceIsWhatTheGeneratorWrites() throws Exception {
        String committed = Files.readString(Path.of("docs/configuration.md"));
        assertEquals(ConfigurationDoc.render(), committed, "docs/configuration.md is stale: run "
                + "`java -cp target/classes org.kmsconnector.config.ConfigurationDoc` and commit the result");
    }

    @Test
    void everyOptionOfEveryServiceIsListedWithItsEnvName() {
        String doc = ConfigurationDoc.render();
        for (ServiceKind kind : ServiceKind.values()) {
            String section = doc.substring(doc.indexOf("## " + kind.id()));
            for (OptionSpec o : Options.of(kind)) {
                assertTrue(section.contains("| `" + o.name() + "` | `" + o.envName() + "` |"),
                        kind.id() + " lacks " + o.name());
            }
        }
        assertTrue(doc.contains("| `private_key` | `KMS_CONNECTOR_PRIVATE_KEY` | unset |"));
        assertTrue(doc.contains("| `events_batch_size` | `KMS_CONNECTOR_EVENTS_BATCH_SIZE` | `50` | integer in [1, 255]"));
    }
}
