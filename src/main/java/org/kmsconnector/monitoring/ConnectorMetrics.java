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

    /** A latency in seconds, bucketed like the original's histograms. */
    public void recordLatency(String name, String labelName, String labelValue, Duration latency) {
        DistributionSummary.builder(name).tag(labelName, labelValue)
                .serviceLevelObjectives(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30)
                .register(registry).record(latency.toNanos() / 1e9);
    }

    private Counter counter(String name, String labelName, String labelValue) {
        return Counter.builder(name).tag(labelName, labelValue).register(registry);
    }
}
