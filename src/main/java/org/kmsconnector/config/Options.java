package org.kmsconnector.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.kmsconnector.config.OptionSpec.Form.ADDRESS;
import static org.kmsconnector.config.OptionSpec.Form.BOOLEAN;
import static org.kmsconnector.config.OptionSpec.Form.DATABASE_URL;
import static org.kmsconnector.config.OptionSpec.Form.DURATION;
import static org.kmsconnector.config.OptionSpec.Form.HOST_CHAINS;
import static org.kmsconnector.config.OptionSpec.Form.INTEGER;
import static org.kmsconnector.config.OptionSpec.Form.PRIVATE_KEY;
import static org.kmsconnector.config.OptionSpec.Form.SOCKET_ADDRESS;
import static org.kmsconnector.config.OptionSpec.Form.TEXT;
import static org.kmsconnector.config.OptionSpec.Form.URL;
import static org.kmsconnector.config.OptionSpec.Form.URL_LIST;
import static org.kmsconnector.config.ServiceKind.GW_LISTENER;
import static org.kmsconnector.config.ServiceKind.KMS_WORKER;
import static org.kmsconnector.config.ServiceKind.TX_SENDER;

/**
 * Every option of the three services, with the original connector's names and defaults, plus
 * the few this implementation adds (marked "addition" in their description).
 */
public final class Options {
    private static final long U8 = 255;
    private static final long U16 = 65_535;
    private static final long U32 = 4_294_967_295L;
    private static final long U64 = Long.MAX_VALUE;

    /** The contract tables, with the EIP-712 domain name each defaults to. */
    public static final Map<String, String> CONTRACT_SECTIONS = Map.of(
            "decryption_contract", "Decryption",
            "gateway_config_contract", "GatewayConfig",
            "kms_generation_contract", "KMSGeneration",
            "protocol_config_contract", "ProtocolConfig");

    private static final Map<String, OptionSpec> BY_NAME = new LinkedHashMap<>();

    static {
        Set<ServiceKind> all = OptionSpec.ALL;
        // common
        add("database_url", DATABASE_URL, null, true, true, all, "PostgreSQL connection URI (libpq form)");
        add("database_pool_size", INTEGER, "16", 1, U32, all, "maximum DB connections of the service");
        add("database_migrate_on_start", BOOLEAN, "true", all,
                "apply the schema migrations at start (addition; `kms-connector db migrate` does it alone)");
        add("gateway_url", URL, null, true, false, all, "Gateway chain JSON-RPC URL");
        add("gateway_chain_id", INTEGER, null, true, 0, U64, all, "Gateway chain id");
        add("ethereum_url", URL, null, true, false, all, "Ethereum (key management) JSON-RPC URL");
        add("ethereum_chain_id", INTEGER, null, true, 0, U64, all, "Ethereum chain id");
        add("service_name", TEXT, null, all, "service name in logs and traces (default kms-connector-<service>)");
        add("task_limit", INTEGER, "1000", 1, U32, all, "maximum operations processed at once");
        add("monitoring_endpoint", SOCKET_ADDRESS, "0.0.0.0:9100", all, "address of the monitoring HTTP server");
        add("healthcheck_timeout", DURATION, "3s", all, "timeout of each health check");
        add("rpc_call_timeout", DURATION, "30s", EnumSet.of(GW_LISTENER, TX_SENDER),
                "timeout of one JSON-RPC call, and of one AWS KMS call in the tx-sender (addition)");
        contract("decryption_contract", all);
        contract("kms_generation_contract", all);
        contract("protocol_config_contract", all);
        contract("gateway_config_contract", EnumSet.of(KMS_WORKER));

        // gw-listener
        Set<ServiceKind> listener = EnumSet.of(GW_LISTENER);
        add("decryption_polling", DURATION, "500ms", listener, "Gateway poll interval");
        add("key_management_polling", DURATION, "30s", listener, "Ethereum poll interval");
        add("get_logs_batch_size", INTEGER, "100", 0, U64, listener, "blocks per eth_getLogs (0 behaves as 1)");
        add("max_consecutive_polling_errors", INTEGER, "20", 1, U32, listener,
                "failed poll iterations in a row before the service stops");
        add("decryption_from_block_number", INTEGER, null, false, 0, U64, listener,
                "Gateway block to start from, over the DB checkpoint");
        add("kms_operation_from_block_number", INTEGER, null, false, 0, U64, listener,
                "Ethereum block to start from, over the DB checkpoint");
        add("gateway_confirmation_depth", INTEGER, "0", 0, U32, listener,
                "blocks the Gateway head must be past a block before it is polled (addition; 0 = up to latest)");
        add("polling_backoff_max", DURATION, "5s", listener,
                "longest extra pause after failed poll iterations, doubling from the poll interval (addition)");

        // kms-worker
        Set<ServiceKind> worker = EnumSet.of(KMS_WORKER);
        add("db_fast_event_polling", DURATION, "3s", worker, "fallback poll of decryption requests");
        add("db_long_event_polling", DURATION, "60s", worker, "fallback poll of the other requests");
        add("events_batch_size", INTEGER, "50", 1, U8, worker, "decryption requests claimed at once");
        add("kms_core_endpoints", URL_LIST, null, true, false, worker,
                "KMS Core gRPC endpoints; the order defines the shard index");
        add("grpc_request_retries", INTEGER, "3", 0, U8, worker, "attempts per gRPC send or poll");
        add("grpc_poll_interval", DURATION, "1s", worker,
                "pause between two result polls (documented by the original, implemented here)");
        add("max_decryption_attempts", INTEGER, "20", 1, U16, worker, "failed attempts before a decryption fails");
        add("host_chains", HOST_CHAINS, null, true, false, worker, "host chains and their ACL contracts");
        add("s3_ciphertext_retrieval_attempts", INTEGER, "3", 1, U8, worker, "GET rounds over the winning buckets");
        add("s3_connect_timeout", DURATION, "3s", worker, "S3 connect timeout");
        add("s3_head_timeout", DURATION, "5s", worker, "timeout of one attestation HEAD");
        add("s3_get_timeout", DURATION, "20s", worker, "timeout of one ciphertext GET, body included");
        add("s3_max_concurrent_heads_per_bucket", INTEGER, "64", 1, U32, worker, "HEADs in flight per bucket");
        add("s3_max_concurrent_gets", INTEGER, "16", 1, U32, worker, "ciphertext GETs in flight");
        add("s3_max_ciphertext_size", INTEGER, "69206016", 1, U64, worker, "largest ciphertext accepted, bytes");
        add("copro_registry_refresh", DURATION, "60s", worker, "reload period of the coprocessor registry");
        add("host_rpc_max_concurrent_calls", INTEGER, "128", 1, U32, worker, "calls in flight per host chain");
        add("host_rpc_call_timeout", DURATION, "10s", worker, "timeout of one host-chain call");
        add("erc1271_gas_limit", INTEGER, "100000", 0, U64, worker, "gas cap of isValidSignature calls");
        add("s3_config.region", TEXT, null, worker, "fallback S3 region (when no bucket URL is known)");
        add("s3_config.bucket", TEXT, null, worker, "fallback S3 bucket");
        add("s3_config.endpoint", URL, null, worker, "fallback S3 endpoint (path-style)");

        // tx-sender
        Set<ServiceKind> sender = EnumSet.of(TX_SENDER);
        add("database_polling_timeout", DURATION, "5s", sender, "fallback poll of responses");
        add("responses_batch_size", INTEGER, "50", 1, U8, sender, "responses claimed at once");
        add("ethereum_tx_required_confirmations", INTEGER, "64", 0, U64, sender,
                "confirmations awaited on Ethereum");
        add("ethereum_tx_get_receipt_timeout", DURATION, "20m", sender, "receipt wait on Ethereum");
        add("gateway_tx_get_receipt_timeout", DURATION, "60s", sender, "receipt wait on the Gateway (addition)");
        add("private_key", PRIVATE_KEY, null, false, true, sender, "wallet key (development only; wins over AWS KMS)");
        add("aws_kms_config.key_id", TEXT, null, sender, "AWS KMS key id of the wallet (ECC_SECG_P256K1)");
        add("aws_kms_config.region", TEXT, null, sender, "AWS region of the key");
        add("aws_kms_config.endpoint", URL, null, sender, "AWS KMS endpoint override");
        add("tx_retries", INTEGER, "4", 1, U8, sender, "attempts per transaction");
        add("tx_retry_interval", DURATION, "10ms", sender, "pause between two attempts");
        add("trace_reverted_tx", BOOLEAN, "true", sender, "look up the revert reason with debug_traceTransaction");
        add("gas_multiplier_percent", INTEGER, "115", 100, U32, sender, "gas limit = estimate x this / 100");
        add("operation_recovery_run_interval", DURATION, "5m", sender, "period of the recovery job");
        add("decryption_expiry", DURATION, "24h", sender, "age after which a decryption is failed");
        add("operation_under_process_timeout", DURATION, "6m", sender,
                "claim age after which an operation is pending again");
        add("gauge_update_interval", DURATION, "30s", sender, "period of the backlog gauges");
    }

    private Options() {}

    public static Optional<OptionSpec> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static List<OptionSpec> all() {
        return Collections.unmodifiableList(new ArrayList<>(BY_NAME.values()));
    }

    public static List<OptionSpec> of(ServiceKind kind) {
        return BY_NAME.values().stream().filter(o -> o.appliesTo(kind)).toList();
    }

    private static void contract(String section, Set<ServiceKind> services) {
        add(section + ".address", ADDRESS, null, true, false, services, "contract address");
        add(section + ".domain_name", TEXT, CONTRACT_SECTIONS.get(section), services, "EIP-712 domain name");
        add(section + ".domain_version", TEXT, "1", services, "EIP-712 domain version");
    }

    private static void add(String name, OptionSpec.Form form, String def, Set<ServiceKind> services, String doc) {
        add(name, form, def, false, false, 0, U64, services, doc);
    }

    private static void add(String name, OptionSpec.Form form, String def, long min, long max,
            Set<ServiceKind> services, String doc) {
        add(name, form, def, false, false, min, max, services, doc);
    }

    private static void add(String name, OptionSpec.Form form, String def, boolean required, long min, long max,
            Set<ServiceKind> services, String doc) {
        add(name, form, def, required, false, min, max, services, doc);
    }

    private static void add(String name, OptionSpec.Form form, String def, boolean required, boolean secret,
            Set<ServiceKind> services, String doc) {
        add(name, form, def, required, secret, 0, U64, services, doc);
    }

    private static void add(String name, OptionSpec.Form form, String def, boolean required, boolean secret,
            long min, long max, Set<ServiceKind> services, String doc) {
        BY_NAME.put(name, new OptionSpec(name, form, def, required, secret, min, max, services, doc));
    }
}
