package org.kmsconnector.devnet.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.kmsconnector.devnet.LocalPipeline;
import org.kmsconnector.devnet.ServiceProcess;

/**
 * Starts a service with its work held back, so a stage's clock measures the work and not the
 * JVM and Camel start-up: the rows are parked under_process (the service does not claim them),
 * and once the service answers /liveness they become pending at once with the NOTIFY an insert
 * would send.
 */
final class Readiness {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private Readiness() {}

    /** @return System.nanoTime() at the release of the rows */
    static long startHeld(LocalPipeline p, Path jar, String service, Connection c, String table, String channel,
            CpuMeter cpu) throws Exception {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE " + table + " SET status = 'under_process' WHERE status = 'pending'");
            p.startService(jar, service);
            await(p, service);
            long start = System.nanoTime();
            cpu.start();
            st.executeUpdate("UPDATE " + table + " SET status = 'pending' WHERE status = 'under_process'");
            st.execute("NOTIFY " + channel);
            return start;
        }
    }

    /** Waits until the service's monitoring endpoint answers /liveness. */
    static void await(LocalPipeline p, String service) throws Exception {
        URI liveness = URI.create("http://127.0.0.1:" + p.monitoringPort(service) + "/liveness");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(liveness).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            for (ServiceProcess s : p.services()) {
                if (!s.isAlive()) {
                    throw new IllegalStateException(s.service() + " exited:\n" + s.output());
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(service + " did not answer " + liveness + " within 90 s");
    }
}
