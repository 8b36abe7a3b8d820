package org.kmsconnector.monitoring;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;

/** What the monitoring routes answer: liveness, health, Prometheus metrics and version. */
public final class MonitoringEndpoints {
    static final String VERSION = "0.15.0";

    private final String serviceId;
    private final HealthChecks health;
    private final ConnectorMetrics metrics;

    public MonitoringEndpoints(String serviceId, HealthChecks health, ConnectorMetrics metrics) {
        this.serviceId = serviceId;
        this.health = health;
        this.metrics = metrics;
    }

    public String liveness() {
        return "{\"status_code\":\"200\",\"status\":\"alive\"}";
    }

    /** 200 when every dependency answers, 503 otherwise; the JSON says which one failed and why. */
    public String healthz(Exchange exchange) {
        HealthChecks.Report report = health.run();
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, report.healthy() ? 200 : 503);
        return HealthChecks.toJson(report);
    }

    public String metrics() {
        return metrics.scrape();
    }

    /** The status page: static HTML whose script reads status.json every second. */
    public String statusPage() throws IOException {
        try (InputStream in = MonitoringEndpoints.class.getResourceAsStream("/status/index.html")) {
            if (in == null) {
                throw new IOException("status/index.html is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public String version() {
        return "{\"name\":\"kms-connector-" + serviceId + "\",\"version\":\"" + VERSION + "\"}";
    }
}
