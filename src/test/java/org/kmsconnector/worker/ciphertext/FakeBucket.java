package org.kmsconnector.worker.ciphertext;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bucket on loopback that misbehaves on purpose: it never answers, or it serves one object
 * with a chunked body (no Content-Length), which S3Mock never does.
 */
final class FakeBucket implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-bucket");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch released = new CountDownLatch(1);
    final AtomicInteger requests = new AtomicInteger();

    private FakeBucket(boolean hang, String attestation, byte[] body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(pool);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                if (hang) {
                    released.await(60, TimeUnit.SECONDS);
                    return;
                }
                exchange.getResponseHeaders().add(Attestation.HEADER, attestation);
                if ("HEAD".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(200, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, 0); // 0 = chunked, no Content-Length
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < body.length; i += 256) {
                        out.write(body, i, Math.min(256, body.length - i));
                        out.flush();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client hung up early: expected when it cuts a body
            }
        });
        server.start();
    }

    static FakeBucket hanging() throws IOException {
        return new FakeBucket(true, null, null);
    }

    static FakeBucket chunked(String attestation, byte[] body) throws IOException {
        return new FakeBucket(false, attestation, body);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/bucket";
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
