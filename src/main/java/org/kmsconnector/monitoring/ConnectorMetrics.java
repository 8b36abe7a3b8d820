package org.kmsconnector.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The connector's metrics, named as the original names them, on one Micrometer registry. In a
 * service the registry is Prometheus's, scraped at /metrics (counters get the _total suffix
 * Prometheus clients add).
 */
public final class ConnectorMetrics {
    private final MeterRegistry registry;

    public ConnectorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public static ConnectorMetrics inMemory() {
        return new ConnectorMetrics(new SimpleMeterRegistry());
    }

    public static ConnectorMetrics prometheus() {
        return new ConnectorMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition, or an empty page for an in-memory registry. */
    public String scrape() {
        return registry instanceof PrometheusMeterRegistry p ? p.scrape() : "";
    }

    public void increment(String name) {
        Counter.builder(name).register(registry).increment();
    }

    public void increment(String name, String labelName, String labelValue) {
        counter(name, labelName, labelValue).increment();
    }

    public void increment(String name, String labelName, String labelValue, double amount) {
        counter(name, labelName, labelValue).increment(amount);
    }

    public double count(String name, String labelName, String labelValue) {
        return counter(name, labelName, labelValue).count();
    }

    /** A latency in seconds with one label, in the latency buckets. */
    public void recordLatency(String name, String labelName, String labelValue, Duration latency) {
        recordSeconds(name, latency, labelName, labelValue);
    }

    /** A counter with any labels, given as name/value pairs. */
    public void count(String name, String... labels) {
        Counter.builder(name).tags(labels).register(registry).increment();
    }

    /** A duration in seconds, with any labels (name/value pairs), in the latency buckets. */
    public void recordSeconds(String name, Duration duration, String... labels) {
        DistributionSummary.builder(name).tags(labels)
                .serviceLevelObjectives(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60)
                .register(registry).record(duration.toNanos() / 1e9);
    }

    /** An amount of gas, in buckets from a simple call to a large batch. */
    public void recordGas(String name, long gas, String... labels) {
        DistributionSummary.builder(name).tags(labels)
                .serviceLevelObjectives(50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000)
                .register(registry).record(gas);
    }

    private Counter counter(String name, String labelName, String labelValue) {
        return Counter.builder(name).tag(labelName, labelValue).register(registry);
    }
}
