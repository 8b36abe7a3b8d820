package org.kmsconnector.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.runtime.ServiceRuntime;
import org.kmsconnector.testsupport.ServiceEnv;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The monitoring endpoints of a running service: liveness, health per dependency, metrics, version. */
@UsesRealParts
class MonitoringEndpointsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static DevDatabase db;

    @BeforeAll
    static void setUp() throws Exception {
        db = TestInfra.database("monitoring");
    }

    @AfterAll
    static void tearDown() throws Exception {
        db.close();
    }

    @Test
    void aHealthyListenerAnswersEveryEndpoint() throws Exception {
        int port = freePort();
        try (ServiceRuntime listener = ServiceRuntime.assemble(
                ServiceEnv.of(ServiceKind.GW_LISTENER, db, TestInfra.anvil(), "0x00000000000000000000000000000000000000aa")
                        .set("monitoring_endpoint", "127.0.0.1:" + port).load())) {
            listener.startInBackground(Duration.ofSeconds(30));
            String base = "http://127.0.0.1:" + port;

            HttpResponse<String> live = get(base + "/liveness");
            assertEquals(200, live.statusCode());
            assertEquals("alive", json(live).get("status").asText());

            HttpResponse<String> health = get(base + "/healthz");
            assertEquals(200, health.statusCode(), health.body());
            JsonNode h = json(health);
            assertTrue(h.get("healthy").asBoolean());
            assertTrue(h.get("database_connected").asBoolean());
            assertTrue(h.get("gateway_connected").asBoolean());
            assertEquals("UP", h.get("checks").get("gateway_connected").get("status").asText());

            listener.metrics().increment(Metrics.LISTENER_EVENTS, "event_type",
                    "public_decryption_request");
            HttpResponse<String> metrics = get(base + "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            assertTrue(metrics.body().contains(
                    "kms_connector_gw_listener_event_received_counter_total{event_type=\"public_decryption_request\"} 1.0"),
                    metrics.body());

            assertEquals("kms-connector-gw-listener", json(get(base + "/version")).get("name").asText());
        }
    }

    @Test
    void anUnreachableDependencyMakesTheService503WithTheReason() throws Exception {
        int port = freePort();
        int deadRpc = freePort();
        try (ServiceRuntime listener = ServiceRuntime.assemble(
                ServiceEnv.of(ServiceKind.GW_LISTENER, db, TestInfra.anvil(), "0x00000000000000000000000000000000000000aa")
                        .set("gateway_url", "http://127.0.0.1:" + deadRpc)
                        .set("max_consecutive_polling_errors", "100000")
                        .set("healthcheck_timeout", "1s")
                        .set("monitoring_endpoint", "127.0.0.1:" + port).load())) {
            listener.startInBackground(Duration.ofSeconds(30));
            HttpResponse<String> health = get("http://127.0.0.1:" + port + "/healthz");
            assertEquals(503, health.statusCode(), health.body());
            JsonNode h = json(health);
            assertFalse(h.get("healthy").asBoolean());
            assertTrue(h.get("database_connected").asBoolean());
            assertFalse(h.get("gateway_connected").asBoolean());
            assertTrue(h.get("details").asText().startsWith("gateway_connected: "), h.get("details").asText());
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return new ObjectMapper().readTree(r.body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
