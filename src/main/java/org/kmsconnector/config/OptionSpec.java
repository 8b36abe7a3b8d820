package org.kmsconnector.config;

import java.util.EnumSet;
import java.util.Set;

/**
 * One configuration option as the original connector names it: its TOML key (nested tables
 * joined with '.'), value form, default, and which services read it.
 */
public record OptionSpec(String name, Form form, String defaultValue, boolean required, boolean secret,
        long min, long max, Set<ServiceKind> services, String description) {

    /** The accepted value forms, each with the wording used in error messages. */
    public enum Form {
        TEXT("a string"),
        URL("a URL such as http://127.0.0.1:8545"),
        INTEGER("an integer"),
        BOOLEAN("true or false"),
        DURATION("a duration such as 500ms, 30s, 5m or 24h"),
        ADDRESS("a 0x-prefixed 20-byte hex address"),
        SOCKET_ADDRESS("host:port, such as 0.0.0.0:9100"),
        DATABASE_URL("a URI such as postgres://user:password@localhost:5432/kms_connector"),
        PRIVATE_KEY("a 32-byte hex private key, with or without 0x"),
        URL_LIST("a non-empty list of URLs (TOML array, or comma-separated in the environment)"),
        HOST_CHAINS("a non-empty list of {url, chain_id, acl_address} (TOML [[host_chains]], or a JSON array"
                + " in the environment)");

        private final String expected;

        Form(String expected) {
            this.expected = expected;
        }

        public String expected() {
            return expected;
        }
    }

    public static final Set<ServiceKind> ALL = EnumSet.allOf(ServiceKind.class);

    /** KMS_CONNECTOR_<NAME>, nested tables separated by a double underscore. */
    public String envName() {
        return "KMS_CONNECTOR_" + name.toUpperCase().replace(".", "__");
    }

    public boolean appliesTo(ServiceKind kind) {
        return services.contains(kind);
    }
}
