package org.kmsconnector.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/metrics.md and the Grafana dashboard stay on the names the code registers. */
class MetricsDocTest {

    @Test
    void committedReferenceIsWhatTheGeneratorWrites() throws Exception {
        assertEquals(MetricsDoc.render(), Files.readString(Path.of("docs/metrics.md")), "docs/metrics.md is stale: run "
                + "`java -cp target/classes org.kmsconnector.monitoring.MetricsDoc` and commit the result");
    }

    @Test
    void everyNameConstantIsCataloguedOnce() throws Exception {
        Set<String> catalogued = new HashSet<>();
        for (Metrics.Metric m : Metrics.ALL) {
            assertTrue(catalogued.add(m.name()), "listed twice: " + m.name());
        }
        for (Field f : Metrics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                assertTrue(catalogued.contains((String) f.get(null)), f.getName() + " is not in Metrics.ALL");
            }
        }
    }

    @Test
    void theDashboardQueriesOnlyCataloguedMetrics() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("k8s/grafana/kms-connector-dashboard.json").toFile());
        Set<String> exposed = new HashSet<>();
        for (Metrics.Metric m : Metrics.ALL) {
            switch (m.type()) {
                case "counter" -> exposed.add(m.name() + "_total");
                case "histogram" -> {
                    exposed.add(m.name() + "_bucket");
                    exposed.add(m.name() + "_sum");
                    exposed.add(m.name() + "_count");
                }
                default -> exposed.add(m.name());
            }
        }
        Set<String> used = new HashSet<>();
        Pattern name = Pattern.compile("kms_connector_[a-z0-9_]+");
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher m = name.matcher(target.get("expr").asText());
                while (m.find()) {
                    assertTrue(exposed.contains(m.group()), panel.get("title").asText() + " queries unknown "
                            + m.group());
                    used.add(m.group());
                }
            }
        }
        for (Metrics.Metric m : Metrics.ALL) {
            assertTrue(used.stream().anyMatch(u -> u.startsWith(m.name())), "no panel shows " + m.name());
        }
        assertFalse(used.isEmpty());
    }
}
