package org.kmsconnector.devnet.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * CPU time used by each part during a stage: the benchmark's child processes (the services,
 * anvil, S3Mock) and the benchmark itself. On 2 cores a stage can use at most 2 CPU seconds per
 * second; the split shows which part the stage's time went to (PostgreSQL runs outside and is
 * shared with other users of the machine, so it is not counted).
 */
final class CpuMeter {
    private Map<String, Duration> start = Map.of();

    void start() {
        start = snapshot();
    }

    /** "kms-worker 12.3 s, anvil 2.1 s, …" since start(), largest first. */
    String since(double wallSeconds) {
        Map<String, Duration> now = snapshot();
        Map<String, Double> used = new LinkedHashMap<>();
        now.forEach((part, cpu) -> used.merge(part, (cpu.toNanos() - start.getOrDefault(part, Duration.ZERO).toNanos())
                / 1e9, Double::sum));
        double total = used.values().stream().mapToDouble(Double::doubleValue).sum();
        return String.format("CPU %.1f s in %.1f s wall (%.0f%% of 2 cores): ", total, wallSeconds,
                100 * total / (2 * wallSeconds)) + used.entrySet().stream()
                .filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format("%s %.1f", e.getKey(), e.getValue())).collect(Collectors.joining(", "));
    }

    private static Map<String, Duration> snapshot() {
        Map<String, Duration> out = new LinkedHashMap<>();
        out.put("benchmark", cpu(ProcessHandle.current()));
        ProcessHandle.current().descendants().forEach(p -> out.merge(name(p), cpu(p), Duration::plus));
        return out;
    }

    private static Duration cpu(ProcessHandle p) {
        return p.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private static String name(ProcessHandle p) {
        String cmd = p.info().commandLine().or(() -> p.info().command()).orElse("?");
        for (String service : new String[] {"gw-listener", "kms-worker", "tx-sender"}) {
            if (cmd.contains(".jar " + service + " ")) {
                return service;
            }
        }
        if (cmd.contains("anvil")) {
            return "anvil";
        }
        return cmd.contains("s3mock") ? "s3mock" : Optional.of(cmd).map(c -> c.split(" ")[0]).get();
    }
}
