package org.kmsconnector.devnet.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.kmsconnector.devnet.DevDatabase;

/**
 * Samples, once a second on a thread of its own, how far each stage of the pipeline has got:
 * requests stored, requests answered, responses mined. For the end-to-end stage, it shows which
 * stage the others wait for.
 */
final class Timeline implements AutoCloseable {
    private static final String SQL = "SELECT (SELECT count(*) FROM public_decryption_requests),"
            + " (SELECT count(*) FROM public_decryption_requests WHERE status = 'completed'),"
            + " (SELECT count(*) FROM public_decryption_responses WHERE status = 'completed')";

    private final List<String> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    Timeline(DevDatabase db, long base) {
        thread = new Thread(() -> sample(db, base), "bench-timeline");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample(DevDatabase db, long base) {
        long start = System.nanoTime();
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            for (int second = 1; running; second++) {
                Thread.sleep(Math.max(0, start + second * 1_000_000_000L - System.nanoTime()) / 1_000_000);
                try (ResultSet rs = st.executeQuery(SQL)) {
                    rs.next();
                    synchronized (samples) {
                        samples.add(second + "s " + (rs.getLong(1) - base) + "/" + (rs.getLong(2) - base) + "/"
                                + (rs.getLong(3) - base));
                    }
                }
            }
        } catch (Exception e) {
            synchronized (samples) {
                samples.add("(sampling stopped: " + e.getMessage() + ")");
            }
        }
    }

    /** "1s 120/40/10, 2s …": stored/answered/mined after each second. */
    String render() {
        synchronized (samples) {
            return "stored/answered/mined each second: " + String.join(", ", samples);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2000);
    }
}
