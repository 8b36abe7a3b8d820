package org.kmsconnector.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    private static final String KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    @TempDir
    Path dir;

    static Path example(ServiceKind kind) {
        return Path.of("config", kind.id() + ".toml");
    }

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void exampleFilesAreAcceptedUnchanged(ServiceKind kind) throws Exception {
        ConnectorConfig cfg = ConfigLoader.load(kind, Optional.of(example(kind)), Map.of());
        assertEquals(kind.defaultServiceName(), cfg.string("service_name"));
        assertTrue(cfg.warnings().isEmpty(), () -> "warnings: " + cfg.warnings());
    }

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void exampleFilesDocumentEveryOptionWithItsEnvNameAndDefault(ServiceKind kind) throws Exception {
        String text = Files.readString(example(kind));
        for (OptionSpec spec : Options.of(kind)) {
            String key = spec.name().substring(spec.name().lastIndexOf('.') + 1);
            boolean present = text.contains(key + " =") || text.contains("[[" + key + "]]");
            assertTrue(present, () -> spec.name() + " missing from " + example(kind));
            assertTrue(text.contains(spec.envName()), () -> spec.envName() + " missing from " + example(kind));
            if (spec.defaultValue() != null) {
                assertTrue(text.contains(spec.defaultValue()),
                        () -> "default of " + spec.name() + " missing from " + example(kind));
            }
        }
    }

    @Test
    void defaultsAreTheOriginalOnes() throws Exception {
        ConnectorConfig cfg = ConfigLoader.load(ServiceKind.KMS_WORKER, Optional.of(example(ServiceKind.KMS_WORKER)),
                Map.of());
        assertEquals(Duration.ofSeconds(3), cfg.duration("db_fast_event_polling"));
        assertEquals(50, cfg.integer("events_batch_size"));
        assertEquals(20, cfg.integer("max_decryption_attempts"));
        assertEquals(69_206_016L, cfg.number("s3_max_ciphertext_size"));
        assertEquals("Decryption", cfg.contract("decryption_contract").domainName());
        assertEquals("1", cfg.contract("decryption_contract").domainVersion());
        assertEquals("0.0.0.0:9100", cfg.string("monitoring_endpoint"));
    }

    @Test
    void environmentWinsOverTheFileAndNestsWithDoubleUnderscore() throws Exception {
        Map<String, String> env = Map.of(
                "KMS_CONNECTOR_GATEWAY_CHAIN_ID", "777",
                "KMS_CONNECTOR_GET_LOGS_BATCH_SIZE", "5",
                "KMS_CONNECTOR_DECRYPTION_CONTRACT__ADDRESS", "0x00000000000000000000000000000000000000aa",
                "KMS_CONNECTOR_DECRYPTION_POLLING", "1m 30s");
        ConnectorConfig cfg = ConfigLoader.load(ServiceKind.GW_LISTENER, Optional.of(example(ServiceKind.GW_LISTENER)),
                env);
        assertEquals(777, cfg.number("gateway_chain_id"));
        assertEquals(5, cfg.number("get_logs_batch_size"));
        assertEquals("0x00000000000000000000000000000000000000aa", cfg.contract("decryption_contract").address());
        assertEquals(Duration.ofSeconds(90), cfg.duration("decryption_polling"));
        assertTrue(cfg.printable().contains("gateway_chain_id = 777   # env KMS_CONNECTOR_GATEWAY_CHAIN_ID"));
    }

    @Test
    void environmentAloneIsEnough() throws Exception {
        Map<String, String> env = new HashMap<>(requiredCommon());
        env.put("KMS_CONNECTOR_KMS_CORE_ENDPOINTS", "http://a:50051, http://b:50051");
        env.put("KMS_CONNECTOR_HOST_CHAINS",
                "[{\"url\":\"http://h:8545\",\"chainId\":12345,\"aclAddress\":\"0x00000000000000000000000000000000000000ac\"}]");
        env.put("KMS_CONNECTOR_GATEWAY_CONFIG_CONTRACT__ADDRESS", "0x00000000000000000000000000000000000000cc");
        ConnectorConfig cfg = ConfigLoader.load(ServiceKind.KMS_WORKER, Optional.empty(), env);
        assertEquals(List.of("http://a:50051", "http://b:50051"), cfg.list("kms_core_endpoints"));
        assertEquals(List.of(new HostChainConfig("http://h:8545", 12345, "0x00000000000000000000000000000000000000ac")),
                cfg.hostChains());
    }

    @Test
    void everyBadOptionIsReportedOnItsOwnLineWithTheExpectedForm() throws Exception {
        Path file = dir.resolve("bad.toml");
        Files.writeString(file, """
                database_url = "mysql://x"
                gateway_url = "not a url"
                gateway_chain_id = -1
                ethereum_url = "http://e:8545"
                ethereum_chain_id = 1
                decryption_polling = "fast"
                get_logs_batch_size = "many"
                [decryption_contract]
                address = "0x1234"
                [protocol_config_contract]
                address = "0x00000000000000000000000000000000000000cc"
                """);
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(ServiceKind.GW_LISTENER, Optional.of(file), Map.of()));
        List<String> p = e.problems();
        assertTrue(has(p, "database_url (KMS_CONNECTOR_DATABASE_URL): ", "expected a URI such as postgres://"), p::toString);
        assertTrue(has(p, "gateway_url (KMS_CONNECTOR_GATEWAY_URL): ", "expected a URL"), p::toString);
        assertTrue(has(p, "gateway_chain_id (KMS_CONNECTOR_GATEWAY_CHAIN_ID): -1 is out of range", "integer"), p::toString);
        assertTrue(has(p, "decryption_polling (KMS_CONNECTOR_DECRYPTION_POLLING): ", "a duration such as 500ms"), p::toString);
        assertTrue(has(p, "get_logs_batch_size (KMS_CONNECTOR_GET_LOGS_BATCH_SIZE): 'many'", "an integer"), p::toString);
        assertTrue(has(p, "decryption_contract.address (KMS_CONNECTOR_DECRYPTION_CONTRACT__ADDRESS): ", "address"), p::toString);
        assertTrue(has(p, "kms_generation_contract.address (KMS_CONNECTOR_KMS_GENERATION_CONTRACT__ADDRESS): required", ""), p::toString);
        assertEquals(7, p.size(), p::toString);
    }

    @Test
    void tomlSyntaxErrorsNameTheLine() {
        Path file = dir.resolve("broken.toml");
        ConfigException e = assertThrows(ConfigException.class, () -> {
            Files.writeString(file, "database_url = \"postgres://x\"\ngateway_url = \n");
            ConfigLoader.load(ServiceKind.GW_LISTENER, Optional.of(file), Map.of());
        });
        assertTrue(e.problems().get(0).startsWith("config file " + file + ": line 2"), e.problems()::toString);
    }

    @Test
    void secretsAreMaskedAndNeverCamelProperties() throws Exception {
        Map<String, String> env = new HashMap<>(requiredCommon());
        env.put("KMS_CONNECTOR_DATABASE_URL", "postgres://kms:s3cr3t-pw@db:5432/kms");
        env.put("KMS_CONNECTOR_PRIVATE_KEY", KEY);
        ConnectorConfig cfg = ConfigLoader.load(ServiceKind.TX_SENDER, Optional.empty(), env);
        String printed = cfg.printable();
        assertFalse(printed.contains("s3cr3t-pw"), printed);
        assertFalse(printed.contains(KEY.substring(2)), printed);
        assertTrue(printed.contains("database_url = postgres://kms:***@db:5432/kms"), printed);
        assertTrue(printed.contains("private_key = ***"), printed);
        assertFalse(cfg.camelProperties().toString().contains(KEY.substring(2)));
        assertFalse(cfg.camelProperties().toString().contains("s3cr3t-pw"));
        assertEquals(KEY, cfg.string("private_key"));
    }

    @Test
    void badPrivateKeyIsReportedWithoutItsValue() {
        Map<String, String> env = new HashMap<>(requiredCommon());
        env.put("KMS_CONNECTOR_PRIVATE_KEY", "0xdeadbeefcafe");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(ServiceKind.TX_SENDER, Optional.empty(), env));
        assertEquals(1, e.problems().size(), e.problems()::toString);
        assertTrue(e.problems().get(0).startsWith("private_key (KMS_CONNECTOR_PRIVATE_KEY): the value (not shown)"));
        assertFalse(e.getMessage().contains("deadbeefcafe"));
    }

    @Test
    void aZeroRpcCallTimeoutIsRefused() {
        Map<String, String> env = new HashMap<>(requiredCommon());
        env.put("KMS_CONNECTOR_PRIVATE_KEY", KEY);
        env.put("KMS_CONNECTOR_RPC_CALL_TIMEOUT", "0s");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(ServiceKind.TX_SENDER, Optional.empty(), env));
        assertTrue(e.problems().get(0).startsWith("rpc_call_timeout (KMS_CONNECTOR_RPC_CALL_TIMEOUT): must be longer"),
                e.problems()::toString);
    }

    @Test
    void txSenderNeedsAWallet() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(ServiceKind.TX_SENDER, Optional.empty(), requiredCommon()));
        assertTrue(e.problems().get(0).contains("one of them is required to sign transactions"), e.problems()::toString);
    }

    @Test
    void gasMultiplierBelowOneHundredIsRefused() {
        Map<String, String> env = new HashMap<>(requiredCommon());
        env.put("KMS_CONNECTOR_PRIVATE_KEY", KEY);
        env.put("KMS_CONNECTOR_GAS_MULTIPLIER_PERCENT", "90");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(ServiceKind.TX_SENDER, Optional.empty(), env));
        assertTrue(e.problems().get(0).startsWith("gas_multiplier_percent (KMS_CONNECTOR_GAS_MULTIPLIER_PERCENT): 90 is out of range"));
    }

    @Test
    void duplicateHostChainsAndZeroCeilingsAreRefused() {
        Map<String, String> env = new HashMap<>(requiredCommon());
        env.put("KMS_CONNECTOR_KMS_CORE_ENDPOINTS", "http://a:50051");
        env.put("KMS_CONNECTOR_GATEWAY_CONFIG_CONTRACT__ADDRESS", "0x00000000000000000000000000000000000000cc");
        env.put("KMS_CONNECTOR_HOST_CHAINS", "[{\"url\":\"http://h:1\",\"chain_id\":5,\"acl_address\":"
                + "\"0x00000000000000000000000000000000000000ac\"},{\"url\":\"http://h:2\",\"chain_id\":5,"
                + "\"acl_address\":\"0x00000000000000000000000000000000000000ac\"}]");
        env.put("KMS_CONNECTOR_S3_MAX_CONCURRENT_GETS", "0");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(ServiceKind.KMS_WORKER, Optional.empty(), env));
        assertTrue(has(e.problems(), "host_chains (KMS_CONNECTOR_HOST_CHAINS): chain_id 5 appears twice", ""),
                e.problems()::toString);
        assertTrue(has(e.problems(), "s3_max_concurrent_gets (KMS_CONNECTOR_S3_MAX_CONCURRENT_GETS): 0 is out of range",
                ""), e.problems()::toString);
    }

    @Test
    void unknownOptionsAreIgnoredWithAWarning() throws Exception {
        Map<String, String> env = new HashMap<>(requiredCommon());
        env.put("KMS_CONNECTOR_DECRYPTION_POLLNG", "1s");
        ConnectorConfig cfg = ConfigLoader.load(ServiceKind.GW_LISTENER, Optional.empty(), env);
        assertEquals(List.of("ignored option 'decryption_pollng': not an option of gw-listener"), cfg.warnings());
    }

    @Test
    void camelPropertiesCarryOptionsAndDurationsInMilliseconds() throws Exception {
        ConnectorConfig cfg = ConfigLoader.load(ServiceKind.GW_LISTENER, Optional.empty(), requiredCommon());
        Map<String, String> props = cfg.camelProperties();
        assertEquals("500ms", props.get("kms_connector.decryption_polling"));
        assertEquals("500", props.get("kms_connector.decryption_polling.ms"));
        assertEquals("100", props.get("kms_connector.get_logs_batch_size"));
    }

    @Test
    void durationsReadHumantimeForms() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofHours(24), Durations.parse("24h"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h 30m"));
        assertEquals(Duration.ofDays(2), Durations.parse("2days"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5 parsecs"));
        assertEquals("6m", Durations.format(Duration.ofMinutes(6)));
        assertEquals("10ms", Durations.format(Duration.ofMillis(10)));
    }

    @Test
    void databaseUrlBecomesJdbcWithUserAndPassword() {
        DatabaseUrl db = DatabaseUrl.parse("postgres://kms:p%40ss@db.internal:6543/connector?sslmode=require");
        assertEquals("jdbc:postgresql://db.internal:6543/connector?sslmode=require", db.jdbcUrl());
        assertEquals("kms", db.user());
        assertEquals("p@ss", db.password());
        assertFalse(db.toString().contains("p@ss"));
    }

    private static Map<String, String> requiredCommon() {
        return Map.of(
                "KMS_CONNECTOR_DATABASE_URL", "postgres://postgres@localhost/kms",
                "KMS_CONNECTOR_GATEWAY_URL", "http://gw:8545",
                "KMS_CONNECTOR_GATEWAY_CHAIN_ID", "54321",
                "KMS_CONNECTOR_ETHEREUM_URL", "http://eth:8545",
                "KMS_CONNECTOR_ETHEREUM_CHAIN_ID", "1",
                "KMS_CONNECTOR_DECRYPTION_CONTRACT__ADDRESS", "0x00000000000000000000000000000000000000aa",
                "KMS_CONNECTOR_KMS_GENERATION_CONTRACT__ADDRESS", "0x00000000000000000000000000000000000000bb",
                "KMS_CONNECTOR_PROTOCOL_CONFIG_CONTRACT__ADDRESS", "0x00000000000000000000000000000000000000cc");
    }

    private static boolean has(List<String> problems, String prefix, String contains) {
        return problems.stream().anyMatch(p -> p.startsWith(prefix) && p.contains(contains));
    }
}
