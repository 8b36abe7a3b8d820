package org.kmsconnector.monitoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes docs/metrics.md from {@link Metrics#ALL}; a test compares the committed file with
 * {@link #render()}, and another checks the Grafana dashboard only queries listed metrics.
 * Run: {@code java -cp target/classes org.kmsconnector.monitoring.MetricsDoc docs/metrics.md}
 */
public final class MetricsDoc {
    private MetricsDoc() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/metrics.md");
        Files.writeString(out, render());
        System.out.println("wrote " + out);
    }

    public static String render() {
        StringBuilder md = new StringBuilder("""
                # Metrics

                <!-- Generated from monitoring/Metrics.java by org.kmsconnector.monitoring.MetricsDoc; do not edit.
                     Regenerate: mvn -q compile && java -cp target/classes org.kmsconnector.monitoring.MetricsDoc -->

                Every service serves Prometheus text at `http://<monitoring_endpoint>/metrics`. Names and labels
                are the original connector's; *addition* marks this implementation's own. As with every
                Prometheus client, a counter `x` is exposed as `x_total`, and a histogram `x` as `x_bucket`,
                `x_sum` and `x_count` (the buckets are listed under [Buckets](#buckets)). A metric appears once
                it has been used. A Grafana dashboard built on exactly these names is in
                [`k8s/grafana/kms-connector-dashboard.json`](../k8s/grafana/kms-connector-dashboard.json).

                Health is not a metric: `/healthz` answers 200 or 503 with a JSON flag per dependency
                (`database_connected`, `gateway_connected`, `ethereum_connected`, and for the kms-worker
                `kms_core_connected`, `host_chain_<id>_connected`, `s3_connected`).

                """);
        for (String service : new String[] {"gw-listener", "kms-worker", "tx-sender"}) {
            md.append("## ").append(service).append("\n\n| metric | type | labels | meaning |\n|---|---|---|---|\n");
            for (Metrics.Metric m : Metrics.ALL) {
                if (m.service().equals(service)) {
                    md.append("| `").append(m.name()).append(m.type().equals("counter") ? "_total" : "").append("` | ")
                            .append(m.type()).append(" | ").append(m.labels().isEmpty() ? "–"
                                    : "`" + String.join("`, `", m.labels()) + "`")
                            .append(" | ").append(m.description()).append(m.addition() ? " (*addition*)" : "")
                            .append(" |\n");
                }
            }
            md.append('\n');
        }
        md.append("""
                ## Label values

                - `event_type`: `public_decryption_request`, `user_decryption_request`
                - `response_type`: `public_decryption_response`, `user_decryption_response`
                - `check_type`: `acl`, `signature`, `copro_consensus`, `kms_context`, `network`
                - `outcome` (attempts): `done`, `retry`, `failed`, `aborted`; (transactions): `sent`, `retry`,
                  `failed`, `backend_gone`
                - `code`: the gRPC status code name (`OK`, `UNAVAILABLE`, …); `rpc`: the KMS Core method
                - `table`, `status` (gauge): each live request and response table, `pending` or `under_process`

                ## Buckets

                - latencies and durations (seconds): 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60 (the
                  original's decryption and forwarding latency buckets are a subset)
                - gas: 50k, 100k, 200k, 500k, 1M, 2M, 5M
                """);
        return md.toString();
    }
}
