package org.kmsconnector.worker.ciphertext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.kmsconnector.worker.ciphertext.CoprocessorFixture.Copro;
import org.kmsconnector.worker.ciphertext.CoprocessorRegistry.S3Fallback;
import org.kmsconnector.worker.ciphertext.CoprocessorRegistry.Snapshot;
import org.web3j.protocol.Web3j;

@UsesRealParts
class CoprocessorRegistryTest {
    private static Web3j web3j;

    @BeforeAll
    static void connect() throws Exception {
        web3j = Web3jClients.create(TestInfra.anvil().url(), Duration.ofSeconds(10));
    }

    @AfterAll
    static void disconnect() {
        web3j.shutdown();
    }

    @Test
    void loadsSignersBucketsAndThresholdFromTheDeployedMock() throws Exception {
        Copro a = CoprocessorFixture.copro("http://s3.local/copro-a");
        Copro b = CoprocessorFixture.copro("http://s3.local/copro-b/"); // trailing slash is dropped
        Copro c = CoprocessorFixture.copro("http://s3.local/copro-c");
        CoprocessorRegistry registry = new CoprocessorRegistry(web3j,
                CoprocessorFixture.deployRegistry(List.of(a, b, c), 2), Optional.empty());
        assertNull(registry.snapshot());

        Snapshot s = registry.load();

        assertEquals(Set.of(a.signerAddress(), b.signerAddress(), c.signerAddress()), s.signers());
        assertEquals(List.of("http://s3.local/copro-a", "http://s3.local/copro-b", "http://s3.local/copro-c"),
                s.bucketUrls());
        assertEquals(2, s.threshold());
        assertSame(s, registry.snapshot());
    }

    @Test
    void coprocessorWithAnEmptyBucketUrlIsSkipped() throws Exception {
        Copro a = CoprocessorFixture.copro("http://s3.local/copro-a");
        Copro none = CoprocessorFixture.copro("");
        CoprocessorRegistry registry = new CoprocessorRegistry(web3j,
                CoprocessorFixture.deployRegistry(List.of(none, a), 1), Optional.empty());

        Snapshot s = registry.load();

        assertEquals(List.of("http://s3.local/copro-a"), s.bucketUrls());
        assertEquals(2, s.signers().size(), "the skipped coprocessor's signer still counts");
    }

    @Test
    void zeroThresholdIsCritical() throws Exception {
        CoprocessorRegistry registry = new CoprocessorRegistry(web3j, CoprocessorFixture.deployRegistry(
                List.of(CoprocessorFixture.copro("http://s3.local/copro-a")), 0), Optional.empty());
        assertThrows(CriticalRegistryException.class, registry::load);
        assertThrows(CriticalRegistryException.class, registry::refresh);
    }

    @Test
    void thresholdAboveTheSignerCountIsCritical() throws Exception {
        CoprocessorRegistry registry = new CoprocessorRegistry(web3j, CoprocessorFixture.deployRegistry(
                List.of(CoprocessorFixture.copro("http://s3.local/copro-a")), 2), Optional.empty());
        assertThrows(CriticalRegistryException.class, registry::load);
    }

    @Test
    void noSignerOrNoBucketIsTransient() throws Exception {
        CoprocessorRegistry empty = new CoprocessorRegistry(web3j,
                CoprocessorFixture.deployRegistry(List.of(), 1), Optional.empty());
        assertThrows(IOException.class, empty::load);
        assertFalse(empty.refresh());

        CoprocessorRegistry noBucket = new CoprocessorRegistry(web3j,
                CoprocessorFixture.deployRegistry(List.of(CoprocessorFixture.copro("")), 1), Optional.empty());
        assertThrows(IOException.class, noBucket::load);
    }

    @Test
    void fallbackBucketIsUsedWhenNoCoprocessorHasAUrl() throws Exception {
        String endpoint = TestInfra.s3().endpoint();
        CoprocessorRegistry registry = new CoprocessorRegistry(web3j,
                CoprocessorFixture.deployRegistry(List.of(CoprocessorFixture.copro("")), 1),
                Optional.of(new S3Fallback("eu-west-1", "kms-fallback", endpoint + "/")));

        assertEquals(List.of(endpoint + "/kms-fallback"), registry.load().bucketUrls());
    }

    @Test
    void fallbackWithoutEndpointIsTheAwsVirtualHostUrl() {
        assertEquals(Optional.of("https://ct-bucket.s3.eu-west-3.amazonaws.com"),
                new S3Fallback("eu-west-3", "ct-bucket", null).bucketUrl());
        assertEquals(Optional.empty(), new S3Fallback("eu-west-3", null, "http://x").bucketUrl());
        assertEquals(Optional.empty(), new S3Fallback(null, "b", "").bucketUrl());
    }

    @Test
    void transientRefreshFailureKeepsThePreviousSnapshot() throws Exception {
        String config = CoprocessorFixture.deployRegistry(List.of(CoprocessorFixture.copro("http://s3.local/a")), 1);
        try (FlakyRpc proxy = new FlakyRpc(TestInfra.anvil().url())) {
            Web3j viaProxy = Web3jClients.create(proxy.url(), Duration.ofSeconds(5));
            try {
                CoprocessorRegistry registry = new CoprocessorRegistry(viaProxy, config, Optional.empty());
                assertTrue(registry.refresh());
                Snapshot first = registry.snapshot();

                proxy.failing.set(true);
                assertFalse(registry.refresh());
                assertSame(first, registry.snapshot());

                proxy.failing.set(false);
                assertTrue(registry.refresh());
                assertEquals(first, registry.snapshot());
            } finally {
                viaProxy.shutdown();
            }
        }
    }

    /** Forwards JSON-RPC to the node, or answers 503 while {@code failing} is set. */
    private static final class FlakyRpc implements AutoCloseable {
        final AtomicBoolean failing = new AtomicBoolean();
        private final HttpServer server;
        private final HttpClient http = HttpClient.newHttpClient();

        FlakyRpc(String target) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                    byte[] request = in.readAllBytes();
                    if (failing.get()) {
                        exchange.sendResponseHeaders(503, -1);
                        return;
                    }
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(target))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(r.statusCode(), r.body().length);
                    out.write(r.body());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(500, -1);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
