package org.kmsconnector.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The dependencies a service needs, each checked on demand, all at once, each within
 * healthcheck_timeout. A service registers only what it really talks to.
 */
public final class HealthChecks implements AutoCloseable {

    /** A dependency check: returns normally when the dependency answers. */
    @FunctionalInterface
    public interface Probe {
        void check() throws Exception;
    }

    /** One check's result: up or not, how long it took, and why not. */
    public record Result(String name, boolean up, long millis, String error) {}

    /** All results of one run. */
    public record Report(boolean healthy, List<Result> results) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Probe> probes = new LinkedHashMap<>();
    private final Duration timeout;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "health-check");
        t.setDaemon(true);
        return t;
    });

    public HealthChecks(Duration timeout) {
        this.timeout = timeout;
    }

    /** @param name the flag of the JSON report, e.g. database_connected */
    public synchronized void register(String name, Probe probe) {
        probes.put(name, probe);
    }

    public Report run() {
        Map<String, CompletableFuture<Result>> running = new LinkedHashMap<>();
        synchronized (this) {
            probes.forEach((name, probe) -> running.put(name, CompletableFuture.supplyAsync(() -> timed(name, probe),
                    pool)));
        }
        List<Result> results = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<Result>> e : running.entrySet()) {
            try {
                results.add(e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (TimeoutException ex) {
                e.getValue().cancel(true);
                results.add(new Result(e.getKey(), false, timeout.toMillis(), "no answer within " + timeout.toMillis()
                        + " ms (healthcheck_timeout)"));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                results.add(new Result(e.getKey(), false, 0, "interrupted"));
            } catch (ExecutionException ex) {
                results.add(new Result(e.getKey(), false, 0, String.valueOf(ex.getCause())));
            }
        }
        return new Report(results.stream().allMatch(Result::up), results);
    }

    private static Result timed(String name, Probe probe) {
        long start = System.nanoTime();
        try {
            probe.check();
            return new Result(name, true, elapsed(start), null);
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Result(name, false, elapsed(start), why);
        }
    }

    private static long elapsed(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /**
     * The original's shape ({"healthy", one boolean flag per check, "details"}) plus "checks"
     * with each check's latency and error.
     */
    public static String toJson(Report report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("healthy", report.healthy());
        List<String> details = new ArrayList<>();
        ObjectNode checks = JSON.createObjectNode();
        for (Result r : report.results()) {
            root.put(r.name(), r.up());
            ObjectNode c = checks.putObject(r.name());
            c.put("status", r.up() ? "UP" : "DOWN");
            c.put("latency_ms", r.millis());
            if (r.error() != null) {
                c.put("error", r.error());
                details.add(r.name() + ": " + r.error());
            }
        }
        root.put("details", String.join("; ", details));
        root.set("checks", checks);
        return root.toString();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
