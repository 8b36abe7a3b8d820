package org.kmsconnector.devnet.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.kmsconnector.devnet.DevDatabase;

/** The physical limits the stages are compared with, measured on the same parts in the same run. */
final class Baselines {
    private Baselines() {}

    /**
     * Rows like the listener's (one handle each) into a copy of public_decryption_requests, in
     * transactions of {@code batch} rows sent as one JDBC batch, each followed by a NOTIFY.
     * @return rows per second
     */
    static double postgresInsertNotify(DevDatabase db, int rows, int batch) throws Exception {
        SecureRandom random = new SecureRandom();
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS bench_raw_requests");
            st.execute("CREATE TABLE bench_raw_requests (LIKE public_decryption_requests INCLUDING ALL)");
            c.setAutoCommit(false);
            long start = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_raw_requests"
                    + " (decryption_id, ct_handles, extra_data, tx_hash, created_at, otlp_context)"
                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (int done = 0; done < rows; ) {
                    int n = Math.min(batch, rows - done);
                    Timestamp now = Timestamp.from(Instant.now());
                    for (int i = 0; i < n; i++) {
                        ps.setBytes(1, bytes(random, 32));
                        ps.setArray(2, c.createArrayOf("bytea", new byte[][] {bytes(random, 32)}));
                        ps.setBytes(3, new byte[0]);
                        ps.setBytes(4, bytes(random, 32));
                        ps.setTimestamp(5, now);
                        ps.setBytes(6, new byte[8]);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    st.execute("NOTIFY bench_raw_requests_available");
                    c.commit();
                    done += n;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            c.setAutoCommit(true);
            st.execute("DROP TABLE bench_raw_requests");
            return rows / seconds;
        }
    }

    /** GETs of the given object URLs, round robin, at most {@code inFlight} at once. @return GETs per second */
    static double s3Gets(List<String> objectUrls, int gets, int inFlight) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Semaphore slots = new Semaphore(inFlight);
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < gets; i++) {
            slots.acquire();
            HttpRequest get = HttpRequest.newBuilder(URI.create(objectUrls.get(i % objectUrls.size())))
                    .timeout(Duration.ofSeconds(20)).GET().build();
            all.add(http.sendAsync(get, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> {
                slots.release();
                if (e != null || r.statusCode() != 200) {
                    failed.incrementAndGet();
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + gets + " S3 GETs failed");
        }
        return gets / seconds;
    }

    private static byte[] bytes(SecureRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
