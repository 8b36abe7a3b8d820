package org.kmsconnector.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A Camel-style properties file as a config layer: {@code kms_connector.<option>} keys (nested
 * tables joined with '.', values written as in the environment) set options, {@code camel.*}
 * keys configure Camel; anything else is ignored with a warning.
 */
final class PropertiesLayer {
    static final String PREFIX = "kms_connector.";

    private PropertiesLayer() {}

    /** Option name (or camel.* key) to raw value; problems and warnings are appended. */
    static Map<String, Object> read(Path file, List<String> problems, List<String> warnings) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            problems.add("properties file " + file + ": cannot be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
            return Map.of();
        }
        Map<String, Object> out = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            String value = props.getProperty(key).trim();
            if (key.startsWith(PREFIX) && key.length() > PREFIX.length()) {
                out.put(key.substring(PREFIX.length()), value);
            } else if (key.startsWith("camel.")) {
                out.put(key, value);
            } else {
                warnings.add("ignored property '" + key + "' in " + file.getFileName()
                        + ": only kms_connector.<option> and camel.* keys are read");
            }
        }
        return out;
    }
}
