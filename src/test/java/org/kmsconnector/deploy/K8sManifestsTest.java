package org.kmsconnector.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kmsconnector.cli.KmsConnectorLaunch;
import org.kmsconnector.config.ConfigLoader;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.deploy.Manifests.Doc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kmsconnector.deploy.Manifests.asMap;
import static org.kmsconnector.deploy.Manifests.labels;
import static org.kmsconnector.deploy.Manifests.list;
import static org.kmsconnector.deploy.Manifests.map;
import static org.kmsconnector.deploy.Manifests.maps;
import static org.kmsconnector.deploy.Manifests.str;

/**
 * An offline check of k8s/ (no cluster, no kubectl here): each manifest is well formed for its
 * kind, and everything it says about the connector holds in this code: the args parse with the
 * CLI, the mounted TOML files load for their service with the Secret's variables, the probe and
 * scrape paths are monitoring routes, the ports are monitoring_endpoint's, and every reference
 * (Secret key, ConfigMap key, volume, label selector) resolves.
 */
class K8sManifestsTest {
    private static final Path ROOT = Path.of("k8s");
    private static final Map<String, String> API_VERSIONS = Map.of(
            "Deployment", "apps/v1", "Service", "v1", "ConfigMap", "v1", "Secret", "v1", "Job", "batch/v1",
            "ServiceMonitor", "monitoring.coreos.com/v1", "Integration", "camel.apache.org/v1",
            "Kustomization", "kustomize.config.k8s.io/v1beta1");
    private static final Pattern DNS_1123 = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    /** Stands in for the CHANGE_ME wallet key when a config is loaded (anvil's public test key #1). */
    private static final String TEST_KEY = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    private static List<Doc> docs;
    private static Set<String> monitoringPaths;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws Exception {
        docs = Manifests.load(ROOT);
        String routes = Files.readString(Path.of("src/main/resources/routes/monitoring/monitoring.camel.yaml"));
        Matcher m = Pattern.compile("platform-http:(/[\\w.]+)").matcher(routes);
        monitoringPaths = new LinkedHashSet<>();
        while (m.find()) {
            monitoringPaths.add(m.group(1));
        }
        assertTrue(monitoringPaths.containsAll(List.of("/liveness", "/healthz", "/metrics")), monitoringPaths::toString);
    }

    @Test
    void everyDocumentHasAKnownKindItsApiVersionAndAValidName() {
        assertFalse(docs.isEmpty());
        for (Doc d : docs) {
            assertEquals(API_VERSIONS.get(d.kind()), d.body().get("apiVersion"), d::toString);
            if (!d.kind().equals("Kustomization")) {
                assertTrue(DNS_1123.matcher(d.name()).matches() && d.name().length() <= 63, d::toString);
            }
        }
    }

    @Test
    void theKustomizationListsEveryPlainManifest() throws Exception {
        Doc k = one("Kustomization", null);
        Set<String> listed = list(k.body(), "resources").stream().map(String::valueOf).collect(Collectors.toSet());
        try (var files = Files.list(ROOT)) {
            Set<String> present = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).collect(Collectors.toSet());
            assertEquals(present, listed);
        }
    }

    @Test
    void oneDeploymentPerServiceRunsItFromItsMountedConfig() throws Exception {
        for (ServiceKind kind : ServiceKind.values()) {
            Doc d = one("Deployment", "kms-connector-" + kind.id());
            Map<String, Object> pod = map(map(d.spec(), "template"), "spec");
            Map<String, Object> c = maps(pod, "containers").get(0);
            List<String> args = list(c, "args").stream().map(String::valueOf).toList();
            assertEquals(List.of(kind.id(), "start", "--config", "/etc/kms-connector/" + kind.id() + ".toml"), args);
            assertTrue(KmsConnectorLaunch.parses(args.toArray(String[]::new)), "the CLI accepts " + args);
            assertTrue(asMap(map(d.spec(), "selector").get("matchLabels"), "matchLabels").entrySet()
                    .stream().allMatch(e -> e.getValue().equals(labels(map(d.spec(), "template")).get(e.getKey()))),
                    "the selector matches the pod labels of " + d);

            String toml = mountedConfigMapKey(pod, c, "/etc/kms-connector/" + kind.id() + ".toml");
            Map<String, String> env = env(c);
            assertEquals("false", env.get("KMS_CONNECTOR_DATABASE_MIGRATE_ON_START"), "the Job migrates, not " + d);
            assertEquals(kind == ServiceKind.TX_SENDER, env.containsKey("KMS_CONNECTOR_PRIVATE_KEY"),
                    "only the tx-sender sees the wallet key");
            ConnectorConfig cfg = loadConfig(kind, toml, Optional.empty(), env);
            int port = monitoringPort(cfg);
            Map<String, Object> monitoring = maps(c, "ports").stream()
                    .filter(p -> "monitoring".equals(p.get("name"))).findFirst().orElseThrow();
            assertEquals(port, monitoring.get("containerPort"), "containerPort is monitoring_endpoint's port");
            assertProbe(c, "livenessProbe", "/liveness");
            assertProbe(c, "readinessProbe", "/healthz");
        }
    }

    @Test
    void theMigrationJobRunsDbMigrateWithTheDatabaseSecret() {
        Doc job = one("Job", "kms-connector-db-migrate");
        Map<String, Object> c = maps(map(map(job.spec(), "template"), "spec"), "containers").get(0);
        List<String> args = list(c, "args").stream().map(String::valueOf).toList();
        assertEquals(List.of("db", "migrate"), args);
        assertTrue(KmsConnectorLaunch.parses(args.toArray(String[]::new)));
        assertTrue(env(c).get("KMS_CONNECTOR_DATABASE_URL").startsWith("postgres://"));
    }

    @Test
    void servicesSelectTheirPodsAndTheServiceMonitorScrapesMetrics() {
        Doc monitor = one("ServiceMonitor", "kms-connector");
        Map<String, Object> selector = asMap(map(monitor.spec(), "selector").get("matchLabels"), "matchLabels");
        Map<String, Object> endpoint = maps(monitor.spec(), "endpoints").get(0);
        assertTrue(monitoringPaths.contains(str(endpoint, "path")), "scrape path is a monitoring route");
        for (ServiceKind kind : ServiceKind.values()) {
            Doc svc = one("Service", "kms-connector-" + kind.id());
            Map<String, Object> pod = map(one("Deployment", "kms-connector-" + kind.id()).spec(), "template");
            Map<String, String> podLabels = labels(pod);
            map(svc.spec(), "selector").forEach((k, v) -> assertEquals(v, podLabels.get(k), svc + " selects " + k));
            selector.forEach((k, v) -> assertEquals(v, labels(svc.body()).get(k), "the ServiceMonitor selects " + svc));
            Map<String, Object> port = maps(svc.spec(), "ports").stream()
                    .filter(p -> str(endpoint, "port").equals(p.get("name"))).findFirst().orElseThrow();
            assertEquals("monitoring", port.get("targetPort"));
        }
    }

    @Test
    void committedSecretsHoldPlaceholdersOnly() {
        for (Doc s : docs.stream().filter(d -> d.kind().equals("Secret")).toList()) {
            for (Object value : map(s.body(), "stringData").values()) {
                assertTrue(String.valueOf(value).contains("CHANGE_ME"), s + " holds a real value");
            }
            assertFalse(s.body().containsKey("data"), s + ": base64 data would hide what is committed");
        }
    }

    @Test
    void camelKIntegrationsStartTheirServiceFromTheImageWithoutArguments() throws Exception {
        for (ServiceKind kind : ServiceKind.values()) {
            Doc it = one("Integration", "kms-connector-" + kind.id());
            Map<String, Object> traits = map(it.spec(), "traits");
            Map<String, Object> container = map(traits, "container");
            assertTrue(str(container, "image").contains("kms-connector:"), "self-managed image");
            Map<String, String> env = list(map(traits, "environment"), "vars").stream().map(String::valueOf)
                    .collect(Collectors.toMap(v -> v.substring(0, v.indexOf('=')), v -> v.substring(v.indexOf('=') + 1)));
            assertEquals(kind.id(), env.get("KMS_CONNECTOR_SERVICE"));
            String[] args = KmsConnectorLaunch.defaultArgs(env);
            assertTrue(KmsConnectorLaunch.parses(args), Arrays.toString(args));

            List<String> mounts = list(map(traits, "mount"), "configs").stream().map(String::valueOf).toList();
            String toml = camelKMounted(mounts, env.get("KMS_CONNECTOR_CONFIG"), "configmap", "_configmaps");
            String props = camelKMounted(mounts, env.get("KMS_CONNECTOR_PROPERTIES"), "secret", "_secrets");
            assertEquals(kind == ServiceKind.TX_SENDER, props.contains("kms_connector.private_key"),
                    "only the tx-sender's Secret holds the wallet key");
            ConnectorConfig cfg = loadConfig(kind, toml, Optional.of(props), env);
            assertEquals(monitoringPort(cfg), container.get("port"));
            Map<String, Object> health = map(traits, "health");
            assertTrue(monitoringPaths.contains(str(health, "livenessProbe")));
            assertEquals("/healthz", health.get("readinessProbe"));
        }
    }

    /** The file a Camel K mount trait entry puts at {@code path}: /etc/camel/conf.d/<dir>/<name>/<key>. */
    private String camelKMounted(List<String> mounts, String path, String type, String dir) {
        Matcher m = Pattern.compile("/etc/camel/conf\\.d/" + dir + "/([^/]+)/([^/]+)").matcher(path);
        assertTrue(m.matches(), path);
        assertTrue(mounts.contains(type + ":" + m.group(1)), type + " " + m.group(1) + " is mounted");
        Doc source = one(type.equals("configmap") ? "ConfigMap" : "Secret", m.group(1));
        return str(map(source.body(), type.equals("configmap") ? "data" : "stringData"), m.group(2));
    }

    /** The content of the ConfigMap key a container sees at {@code path}, through its volume mounts. */
    private String mountedConfigMapKey(Map<String, Object> pod, Map<String, Object> container, String path) {
        for (Map<String, Object> mount : maps(container, "volumeMounts")) {
            String dir = str(mount, "mountPath");
            if (path.startsWith(dir + "/")) {
                Map<String, Object> volume = maps(pod, "volumes").stream()
                        .filter(v -> str(mount, "name").equals(v.get("name"))).findFirst().orElseThrow();
                Doc cm = one("ConfigMap", str(map(volume, "configMap"), "name"));
                return str(map(cm.body(), "data"), path.substring(dir.length() + 1));
            }
        }
        throw new AssertionError(path + " is not mounted");
    }

    /** The container's variables, each secretKeyRef resolved against the committed Secret. */
    private Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new HashMap<>();
        for (Map<String, Object> e : maps(container, "env")) {
            if (e.containsKey("value")) {
                env.put(str(e, "name"), str(e, "value"));
            } else {
                Map<String, Object> ref = map(map(e, "valueFrom"), "secretKeyRef");
                Doc secret = one("Secret", str(ref, "name"));
                env.put(str(e, "name"), str(map(secret.body(), "stringData"), str(ref, "key")));
            }
        }
        return env;
    }

    private ConnectorConfig loadConfig(ServiceKind kind, String toml, Optional<String> props, Map<String, String> env)
            throws Exception {
        Path file = Files.writeString(tmp.resolve(kind.id() + ".toml"), toml);
        Optional<Path> propsFile = props.isEmpty() ? Optional.empty()
                : Optional.of(Files.writeString(tmp.resolve(kind.id() + ".properties"), withTestKey(props.get())));
        Map<String, String> resolved = new HashMap<>();
        env.forEach((k, v) -> resolved.put(k, withTestKey(v)));
        ConnectorConfig cfg = ConfigLoader.load(kind, Optional.of(file), propsFile, resolved);
        assertEquals(List.of(), cfg.warnings(), kind.id() + ": the manifests set nothing the service ignores");
        return cfg;
    }

    private static String withTestKey(String text) {
        return text.replace("private_key = CHANGE_ME", "private_key = " + TEST_KEY).replaceAll("^CHANGE_ME$", TEST_KEY);
    }

    private static int monitoringPort(ConnectorConfig cfg) {
        String endpoint = cfg.string("monitoring_endpoint");
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    private void assertProbe(Map<String, Object> container, String probe, String path) {
        Map<String, Object> get = map(map(container, probe), "httpGet");
        assertEquals(path, get.get("path"), probe);
        assertTrue(monitoringPaths.contains(path), path + " is a monitoring route");
        assertEquals("monitoring", get.get("port"), probe + " targets the monitoring port");
    }

    private static Doc one(String kind, String name) {
        List<Doc> found = docs.stream().filter(d -> d.kind().equals(kind) && (name == null || d.name().equals(name)))
                .toList();
        assertEquals(1, found.size(), () -> "one " + kind + " " + name + ", found " + found);
        return found.get(0);
    }
}
