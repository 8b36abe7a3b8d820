package org.kmsconnector.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The validated configuration of one service, typed, with where each value came from. */
public final class ConnectorConfig {
    private final ServiceKind kind;
    private final Map<String, Object> values;
    private final Map<String, String> sources;
    private final Map<String, String> camel;
    private final List<String> warnings;

    ConnectorConfig(ServiceKind kind, Map<String, Object> values, Map<String, String> sources,
            Map<String, String> camel, List<String> warnings) {
        this.kind = kind;
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
        this.camel = Map.copyOf(camel);
        this.warnings = List.copyOf(warnings);
    }

    public ServiceKind kind() {
        return kind;
    }

    public List<String> warnings() {
        return warnings;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String string(String name) {
        return (String) required(name);
    }

    public Optional<String> optionalString(String name) {
        return Optional.ofNullable((String) values.get(name));
    }

    public long number(String name) {
        return (Long) required(name);
    }

    public int integer(String name) {
        return Math.toIntExact(number(name));
    }

    public OptionalLong optionalNumber(String name) {
        Object v = values.get(name);
        return v == null ? OptionalLong.empty() : OptionalLong.of((Long) v);
    }

    public boolean bool(String name) {
        return (Boolean) required(name);
    }

    public Duration duration(String name) {
        return (Duration) required(name);
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String name) {
        return (List<String>) required(name);
    }

    @SuppressWarnings("unchecked")
    public List<HostChainConfig> hostChains() {
        return (List<HostChainConfig>) required("host_chains");
    }

    public ContractConfig contract(String section) {
        return new ContractConfig(string(section + ".address"), string(section + ".domain_name"),
                string(section + ".domain_version"));
    }

    public DatabaseUrl database() {
        return DatabaseUrl.parse(string("database_url"));
    }

    private Object required(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("option " + name + " is not set for " + kind.id());
        }
        return v;
    }

    /**
     * The config as Camel properties: kms_connector.&lt;option&gt; (durations also as
     * kms_connector.&lt;option&gt;.ms), plus camel.* keys given in the TOML file or environment.
     * Secrets are left out: routes never need them.
     */
    public Map<String, String> camelProperties() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            OptionSpec spec = Options.find(e.getKey()).orElseThrow();
            if (spec.secret()) {
                continue;
            }
            out.put("kms_connector." + e.getKey(), display(e.getValue()));
            if (e.getValue() instanceof Duration d) {
                out.put("kms_connector." + e.getKey() + ".ms", Long.toString(d.toMillis()));
            }
        }
        out.putAll(camel);
        return out;
    }

    /** The effective config, one option a line with its source; secrets masked. */
    public String printable() {
        StringBuilder sb = new StringBuilder("# effective configuration of " + kind.id() + "\n");
        for (OptionSpec spec : Options.of(kind)) {
            if (!values.containsKey(spec.name())) {
                sb.append("# ").append(spec.name()).append(" is not set\n");
                continue;
            }
            sb.append(spec.name()).append(" = ").append(masked(spec, values.get(spec.name())))
                    .append("   # ").append(sources.get(spec.name())).append('\n');
        }
        camel.forEach((k, v) -> sb.append(k).append(" = ").append(v).append("   # camel\n"));
        return sb.toString();
    }

    static String masked(OptionSpec spec, Object value) {
        if (spec.form() == OptionSpec.Form.DATABASE_URL) {
            return DatabaseUrl.masked((String) value);
        }
        return spec.secret() ? "***" : display(value);
    }

    private static String display(Object value) {
        if (value instanceof Duration d) {
            return Durations.format(d);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ConnectorConfig::display).reduce((a, b) -> a + "," + b).orElse("");
        }
        if (value instanceof HostChainConfig h) {
            return "{url=" + h.url() + ", chain_id=" + h.chainId() + ", acl_address=" + h.aclAddress() + "}";
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return "ConnectorConfig[" + kind.id() + "]";
    }
}
