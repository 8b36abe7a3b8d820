package org.kmsconnector.devnet;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An S3-compatible server for the tests and the demo: Adobe's S3Mock executable jar as a child
 * process (plain HTTP on loopback), holding the coprocessors' ciphertext buckets.
 */
public final class S3MockServer implements AutoCloseable {
    private static final String JAR_RELATIVE = ".m2/repository/com/adobe/testing/s3mock/5.2.0/s3mock-5.2.0-exec.jar";

    private final Process process;
    private final int port;

    private S3MockServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts S3Mock with the given buckets, its data under {@code dataDir}, and waits until it answers. */
    public static S3MockServer start(Path dataDir, List<String> buckets) throws IOException {
        Files.createDirectories(dataDir);
        int port = freePort();
        int httpsPort = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", jar().toString(),
                "--server.address=127.0.0.1", "--server.port=" + httpsPort, "--http.port=" + port,
                "--com.adobe.testing.s3mock.store.root=" + dataDir.toAbsolutePath(),
                "--com.adobe.testing.s3mock.store.initial-buckets=" + String.join(",", buckets),
                "--logging.level.root=WARN"));
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("s3mock.log").toFile())).start();
        S3MockServer server = new S3MockServer(process, port);
        try {
            server.awaitReady(Duration.ofSeconds(60), dataDir.resolve("s3mock.log"));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The S3Mock jar: -Dkmsc.s3mock.jar, env KMSC_S3MOCK_JAR, else the local Maven repository. */
    static Path jar() {
        String configured = System.getProperty("kmsc.s3mock.jar", System.getenv("KMSC_S3MOCK_JAR"));
        Path jar = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home")).resolve(JAR_RELATIVE);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found: run scripts/prepare-env.sh (it fetches S3Mock)");
        }
        return jar;
    }

    private void awaitReady(Duration timeout, Path log) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("S3Mock exited: " + tail(log));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for S3Mock");
            }
            sleep(200);
        }
        throw new IOException("S3Mock did not answer within " + timeout + ": " + tail(log));
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.substring(Math.max(0, s.length() - 2000));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** http://127.0.0.1:port */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Path-style URL of a bucket, as a coprocessor registers it (s3BucketUrl). */
    public String bucketUrl(String bucket) {
        return endpoint() + "/" + bucket;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, 10);
    }
}
