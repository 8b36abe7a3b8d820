package org.kmsconnector.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Builds a service's configuration from layers, later wins: built-in defaults, the TOML file, an
 * optional properties file ({@code kms_connector.<option>} and {@code camel.*} keys), then
 * KMS_CONNECTOR_* environment variables. Every problem is collected, so one run reports them
 * all, one line each.
 */
public final class ConfigLoader {
    private static final String ENV_PREFIX = "KMS_CONNECTOR_";
    /** Read by the launcher when it gets no arguments (KmsConnector.defaultArgs), not options. */
    private static final Set<String> LAUNCHER_VARIABLES = Set.of("KMS_CONNECTOR_SERVICE", "KMS_CONNECTOR_CONFIG",
            "KMS_CONNECTOR_PROPERTIES");
    private static final Set<String> TABLES = Set.of("decryption_contract", "gateway_config_contract",
            "kms_generation_contract", "protocol_config_contract", "s3_config", "aws_kms_config");

    private ConfigLoader() {}

    public static ConnectorConfig load(ServiceKind kind, Optional<Path> file, Map<String, String> env)
            throws ConfigException {
        return load(kind, file, Optional.empty(), env);
    }

    /** As {@link #load(ServiceKind, Optional, Map)} with a properties file between the TOML file and the env. */
    public static ConnectorConfig load(ServiceKind kind, Optional<Path> file, Optional<Path> properties,
            Map<String, String> env) throws ConfigException {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, Object> fromFile = file.isPresent() ? readToml(file.get(), problems) : Map.of();
        Map<String, Object> fromProps = properties.isPresent()
                ? PropertiesLayer.read(properties.get(), problems, warnings) : Map.of();
        Map<String, Object> fromEnv = readEnv(env);
        Map<String, String> camel = new TreeMap<>();

        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (OptionSpec spec : Options.of(kind)) {
            String source;
            Object raw;
            if (fromEnv.containsKey(spec.name())) {
                raw = fromEnv.get(spec.name());
                source = "env " + spec.envName();
            } else if (fromProps.containsKey(spec.name())) {
                raw = fromProps.get(spec.name());
                source = "properties " + properties.get().getFileName();
            } else if (fromFile.containsKey(spec.name())) {
                raw = fromFile.get(spec.name());
                source = "file";
            } else {
                raw = spec.defaultValue();
                source = "default";
            }
            if (raw == null) {
                continue;
            }
            try {
                values.put(spec.name(), ValueParser.parse(spec, raw));
                sources.put(spec.name(), source);
            } catch (IllegalArgumentException e) {
                problems.add(line(spec, e.getMessage() + " (from " + source + ")"));
            }
        }
        Set<String> ignored = new java.util.TreeSet<>();
        for (Map<String, Object> layer : List.of(fromFile, fromProps, fromEnv)) {
            for (Map.Entry<String, Object> e : layer.entrySet()) {
                if (e.getKey().startsWith("camel.")) {
                    camel.put(e.getKey(), String.valueOf(e.getValue()));
                } else if (Options.find(e.getKey()).map(o -> !o.appliesTo(kind)).orElse(true)) {
                    ignored.add(e.getKey());
                }
            }
        }
        ignored.forEach(k -> warnings.add("ignored option '" + k + "': not an option of " + kind.id()));
        checkRequired(kind, values, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        values.putIfAbsent("service_name", kind.defaultServiceName());
        sources.putIfAbsent("service_name", "default");
        return new ConnectorConfig(kind, values, sources, camel, warnings);
    }

    private static void checkRequired(ServiceKind kind, Map<String, Object> values, List<String> problems) {
        for (OptionSpec spec : Options.of(kind)) {
            if (spec.required() && !values.containsKey(spec.name()) && !alreadyReported(spec, problems)) {
                problems.add(line(spec, "required"));
            }
        }
        boolean anyAws = values.keySet().stream().anyMatch(k -> k.startsWith("aws_kms_config."));
        if (anyAws && !values.containsKey("aws_kms_config.key_id")) {
            problems.add(line(Options.find("aws_kms_config.key_id").orElseThrow(),
                    "required when [aws_kms_config] is given"));
        }
        // a zero call timeout would mean none at all: every outbound call must stay bounded
        if (values.get("rpc_call_timeout") instanceof java.time.Duration d && (d.isZero() || d.isNegative())) {
            problems.add(line(Options.find("rpc_call_timeout").orElseThrow(), "must be longer than 0"));
        }
        if (kind == ServiceKind.TX_SENDER && !values.containsKey("private_key")
                && !values.containsKey("aws_kms_config.key_id") && problems.isEmpty()) {
            problems.add("private_key (KMS_CONNECTOR_PRIVATE_KEY) or aws_kms_config.key_id "
                    + "(KMS_CONNECTOR_AWS_KMS_CONFIG__KEY_ID): one of them is required to sign transactions");
        }
    }

    private static boolean alreadyReported(OptionSpec spec, List<String> problems) {
        return problems.stream().anyMatch(p -> p.startsWith(spec.name() + " ("));
    }

    static String line(OptionSpec spec, String problem) {
        return spec.name() + " (" + spec.envName() + "): " + problem + "; expected " + spec.form().expected();
    }

    private static Map<String, Object> readToml(Path file, List<String> problems) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            problems.add("config file " + file + ": cannot be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
            return Map.of();
        }
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            toml.errors().forEach(err -> problems.add("config file " + file + ": line " + err.position().line()
                    + ", column " + err.position().column() + ": " + err.getMessage()));
            return Map.of();
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : toml.entrySet()) {
            if (e.getValue() instanceof TomlTable table && (TABLES.contains(e.getKey()) || e.getKey().equals("camel"))) {
                flatten(e.getKey(), table, flat);
            } else {
                flat.put(e.getKey(), e.getValue());
            }
        }
        return flat;
    }

    private static void flatten(String prefix, TomlTable table, Map<String, Object> out) {
        for (Map.Entry<String, Object> e : table.entrySet()) {
            String key = prefix + "." + e.getKey();
            if (e.getValue() instanceof TomlTable nested) {
                flatten(key, nested, out);
            } else {
                out.put(key, e.getValue());
            }
        }
    }

    private static Map<String, Object> readEnv(Map<String, String> env) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().startsWith(ENV_PREFIX) && e.getKey().length() > ENV_PREFIX.length()
                    && !LAUNCHER_VARIABLES.contains(e.getKey())) {
                String key = e.getKey().substring(ENV_PREFIX.length()).toLowerCase().replace("__", ".");
                out.put(key, e.getValue());
            }
        }
        return out;
    }
}
