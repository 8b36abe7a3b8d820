package org.kmsconnector.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as an operator uses it: exit codes and what reaches the terminal. */
class KmsConnectorCliTest {
    private static final String KEY = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = KmsConnector.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void theExampleConfigsValidate() {
        assertEquals(0, run("kms-worker", "validate", "--config", "config/kms-worker.toml"), err::toString);
        assertTrue(out.toString().contains("Configuration of kms-worker is valid."));
    }

    @Test
    void printConfigShowsTheEffectiveValuesWithSecretsMasked() throws Exception {
        Path file = dir.resolve("tx-sender.toml");
        Files.writeString(file, Files.readString(Path.of("config/tx-sender.toml"))
                .replace("postgres://postgres:postgres@", "postgres://kms:hunter2@")
                .replace("# private_key = \"0x…\"", "private_key = \"" + KEY + "\""));
        assertEquals(0, run("tx-sender", "start", "--config", file.toString(), "--print-config"), err::toString);
        String printed = out.toString();
        assertTrue(printed.contains("database_url = postgres://kms:***@localhost:5432/kms_connector   # file"), printed);
        assertTrue(printed.contains("private_key = ***"), printed);
        assertTrue(printed.contains("gas_multiplier_percent = 115   # default"), printed);
        assertFalse(printed.contains("hunter2") || printed.contains(KEY), printed);
    }

    @Test
    void aBadConfigExitsOneWithOneLinePerProblem() throws Exception {
        Path file = dir.resolve("bad.toml");
        Files.writeString(file, Files.readString(Path.of("config/gw-listener.toml"))
                .replace("gateway_chain_id = 54321", "gateway_chain_id = \"main\"")
                .replace("# decryption_polling = \"500ms\"", "decryption_polling = \"soon\""));
        assertEquals(1, run("gw-listener", "start", "--config", file.toString()));
        String[] lines = err.toString().trim().split("\n");
        assertEquals("Invalid configuration for gw-listener:", lines[0]);
        assertEquals(3, lines.length, err::toString);
        assertTrue(lines[1].contains("decryption_polling (KMS_CONNECTOR_DECRYPTION_POLLING)")
                || lines[2].contains("decryption_polling (KMS_CONNECTOR_DECRYPTION_POLLING)"), err::toString);
    }

    @Test
    void aMonitoringEndpointThatCannotBeBoundStopsTheStartWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path file = dir.resolve("taken.toml");
            Files.writeString(file, "monitoring_endpoint = \"127.0.0.1:" + taken.getLocalPort() + "\"\n"
                    + Files.readString(Path.of("config/gw-listener.toml")).replaceAll("(?m)^monitoring_endpoint.*$", ""));
            assertEquals(1, run("gw-listener", "start", "--config", file.toString()));
            String[] lines = err.toString().trim().split("\n");
            assertEquals(1, lines.length, err::toString);
            assertTrue(lines[0].startsWith("Cannot start gw-listener: monitoring_endpoint"
                    + " (KMS_CONNECTOR_MONITORING_ENDPOINT): cannot listen on 127.0.0.1:" + taken.getLocalPort()),
                    err::toString);
        }
    }

    @Test
    void aMissingConfigFileIsNamed() {
        assertEquals(1, run("kms-worker", "validate", "--config", dir.resolve("nope.toml").toString()));
        assertTrue(err.toString().contains("nope.toml: cannot be read"), err::toString);
    }

    @Test
    void startTakesAPropertiesFile() throws Exception {
        Path props = dir.resolve("ops.properties");
        Files.writeString(props, "kms_connector.get_logs_batch_size=33\n");
        assertEquals(0, run("gw-listener", "start", "--config", "config/gw-listener.toml", "--properties",
                props.toString(), "--print-config"), err::toString);
        assertTrue(out.toString().contains("get_logs_batch_size = 33   # properties ops.properties"), out::toString);
    }

    @Test
    void withoutArgumentsTheServiceComesFromTheEnvironment() {
        String[] none = new String[0];
        assertEquals(0, KmsConnector.defaultArgs(none, java.util.Map.of()).length);
        assertEquals(java.util.List.of("kms-worker", "start"), java.util.List.of(
                KmsConnector.defaultArgs(none, java.util.Map.of("KMS_CONNECTOR_SERVICE", "kms-worker"))));
        assertEquals(java.util.List.of("tx-sender", "start", "--config", "/etc/kms-connector/tx-sender.toml"),
                java.util.List.of(KmsConnector.defaultArgs(none, java.util.Map.of("KMS_CONNECTOR_SERVICE", "tx-sender",
                        "KMS_CONNECTOR_CONFIG", "/etc/kms-connector/tx-sender.toml"))));
        assertEquals(java.util.List.of("gw-listener", "start", "--properties", "/etc/secrets/s.properties"),
                java.util.List.of(KmsConnector.defaultArgs(none, java.util.Map.of("KMS_CONNECTOR_SERVICE", "gw-listener",
                        "KMS_CONNECTOR_PROPERTIES", "/etc/secrets/s.properties"))));
        String[] given = {"db", "migrate"};
        assertEquals(given, KmsConnector.defaultArgs(given, java.util.Map.of("KMS_CONNECTOR_SERVICE", "tx-sender")));
    }
}
