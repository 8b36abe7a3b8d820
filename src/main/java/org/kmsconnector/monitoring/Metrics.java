package org.kmsconnector.monitoring;

import java.util.List;

/**
 * Every metric the services publish: the original connector's names and labels, and the ones
 * this implementation adds. docs/metrics.md is generated from this list (MetricsDoc), so the code,
 * the document and the Grafana dashboard use one set of names.
 */
public final class Metrics {
    /**
     * @param name as registered; Prometheus shows counters with a _total suffix and histograms as
     *     _bucket/_sum/_count series
     * @param addition true when the original connector has no such metric
     */
    public record Metric(String name, String type, String service, List<String> labels, String description,
            boolean addition) {}

    public static final String LISTENER_EVENTS = "kms_connector_gw_listener_event_received_counter";
    public static final String LISTENER_ERRORS = "kms_connector_gw_listener_event_listening_errors";
    public static final String LISTENER_MALFORMED = "kms_connector_gw_listener_malformed_events";

    public static final String WORKER_EVENTS = "kms_connector_worker_event_received_counter";
    public static final String WORKER_GRPC_SENT = "kms_connector_worker_grpc_request_sent_counter";
    public static final String WORKER_GRPC_SENT_ERRORS = "kms_connector_worker_grpc_request_sent_errors";
    public static final String WORKER_GRPC_POLLED = "kms_connector_worker_grpc_response_polled_counter";
    public static final String WORKER_GRPC_POLLED_ERRORS = "kms_connector_worker_grpc_response_polled_errors";
    public static final String WORKER_GRPC_CALL = "kms_connector_worker_grpc_call_duration_seconds";
    public static final String WORKER_S3_OK = "kms_connector_worker_s3_ciphertext_retrieval_counter";
    public static final String WORKER_S3_ERRORS = "kms_connector_worker_s3_ciphertext_retrieval_errors";
    public static final String WORKER_CHECK_ERRORS = "kms_connector_worker_request_check_errors";
    public static final String WORKER_ATTEMPTS = "kms_connector_worker_attempts";
    public static final String WORKER_FAILED = "kms_connector_worker_request_failed";
    public static final String WORKER_LATENCY = "kms_connector_worker_decryption_latency_seconds";

    public static final String SENDER_RECEIVED = "kms_connector_tx_sender_response_received_counter";
    public static final String SENDER_RECEIVED_ERRORS = "kms_connector_tx_sender_response_received_errors";
    public static final String SENDER_TX_SENT = "kms_connector_tx_sender_gateway_tx_sent_counter";
    public static final String SENDER_TX_ERRORS = "kms_connector_tx_sender_gateway_tx_sent_errors";
    public static final String SENDER_LATENCY = "kms_connector_tx_sender_response_forwarding_latency_seconds";
    public static final String SENDER_TX_DURATION = "kms_connector_tx_sender_tx_duration_seconds";
    public static final String SENDER_GAS_USED = "kms_connector_tx_sender_gas_used";
    public static final String SENDER_RECOVERED = "kms_connector_tx_sender_operation_recovered_counter";
    public static final String SENDER_RECOVERY_ERRORS = "kms_connector_tx_sender_operation_recovery_errors";
    public static final String UNPROCESSED = "kms_connector_unprocessed_operations";

    private static final String L = "gw-listener";
    private static final String W = "kms-worker";
    private static final String S = "tx-sender";

    public static final List<Metric> ALL = List.of(
            new Metric(LISTENER_EVENTS, "counter", L, List.of("event_type"), "events decoded from the chain", false),
            new Metric(LISTENER_ERRORS, "counter", L, List.of("contract"),
                    "failed poll iterations (RPC, decoding of the range, database)", false),
            new Metric(LISTENER_MALFORMED, "counter", L, List.of("topic0"),
                    "logs that do not decode, skipped without losing the rest of their range", true),
            new Metric(WORKER_EVENTS, "counter", W, List.of("event_type"), "requests claimed", false),
            new Metric(WORKER_GRPC_SENT, "counter", W, List.of("event_type"), "requests sent to the KMS Core", false),
            new Metric(WORKER_GRPC_SENT_ERRORS, "counter", W, List.of("event_type"),
                    "failed tries of a send to the KMS Core", false),
            new Metric(WORKER_GRPC_POLLED, "counter", W, List.of("event_type"), "results received from the KMS Core",
                    false),
            new Metric(WORKER_GRPC_POLLED_ERRORS, "counter", W, List.of("event_type"),
                    "result polls that ended without a result", false),
            new Metric(WORKER_GRPC_CALL, "histogram", W, List.of("rpc", "code"),
                    "duration of each gRPC call to the KMS Core, by RPC and status code", true),
            new Metric(WORKER_S3_OK, "counter", W, List.of(), "ciphertexts fetched from S3 and digest-checked", false),
            new Metric(WORKER_S3_ERRORS, "counter", W, List.of(), "failed ciphertext fetches", false),
            new Metric(WORKER_CHECK_ERRORS, "counter", W, List.of("check_type"),
                    "refused checks: acl, signature, copro_consensus, kms_context, network", false),
            new Metric(WORKER_ATTEMPTS, "counter", W, List.of("event_type", "outcome"),
                    "attempts by how they ended: done, retry, failed, aborted", true),
            new Metric(WORKER_FAILED, "counter", W, List.of("event_type"), "requests marked failed or aborted", true),
            new Metric(WORKER_LATENCY, "histogram", W, List.of("event_type"),
                    "from the event's storage to its response row, seconds", false),
            new Metric(SENDER_RECEIVED, "counter", S, List.of("response_type"), "responses claimed", false),
            new Metric(SENDER_RECEIVED_ERRORS, "counter", S, List.of("response_type"), "malformed response rows",
                    false),
            new Metric(SENDER_TX_SENT, "counter", S, List.of("response_type"), "responses accepted on the Gateway",
                    false),
            new Metric(SENDER_TX_ERRORS, "counter", S, List.of("response_type"),
                    "responses the Gateway refused (a contract error): row failed", false),
            new Metric(SENDER_LATENCY, "histogram", S, List.of("response_type"),
                    "from the response row's creation to its transaction's receipt, seconds", false),
            new Metric(SENDER_TX_DURATION, "histogram", S, List.of("response_type", "outcome"),
                    "one send, from gas estimation to receipt (retries included), seconds", true),
            new Metric(SENDER_GAS_USED, "histogram", S, List.of("response_type"), "gas used by a response transaction",
                    true),
            new Metric(SENDER_RECOVERED, "counter", S, List.of("table"),
                    "rows the recovery job failed (expired decryptions) or released (stale claims)", true),
            new Metric(SENDER_RECOVERY_ERRORS, "counter", S, List.of("table"), "recovery statements that failed",
                    true),
            new Metric(UNPROCESSED, "gauge", S, List.of("table", "status"),
                    "rows pending or under process, per table, every gauge_update_interval", false));

    private Metrics() {}
}
