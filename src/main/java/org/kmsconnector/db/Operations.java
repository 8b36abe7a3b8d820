package org.kmsconnector.db;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The catalogue of the kinds of operation (behavior.md §A.7): the one place that names the live
 * tables, their keys, NOTIFY channels and claimed columns. The services, the recovery job and the
 * gauges iterate it; a new kind of operation is one entry here and one flow per service.
 */
public final class Operations {
    /** Every response claim: rows per claim and fallback poll, the same for every kind. */
    public static final String RESPONSE_BATCH_OPTION = "responses_batch_size";
    public static final String RESPONSE_FALLBACK_POLL_OPTION = "database_polling_timeout";

    private static final String DECRYPTION_BATCH = "events_batch_size";
    private static final String FAST_POLL = "db_fast_event_polling";
    private static final String LONG_POLL = "db_long_event_polling";

    public static final OperationKind PUBLIC_DECRYPTION = new OperationKind("public-decryption", "Public decryption",
            "public_decryption_request",
            requests("public_decryption_requests", "decryption_id", "public_decryption_request_available",
                    "ct_handles", "extra_data"),
            responses("public_decryption_responses", "decryption_id", "public_decryption_response_available",
                    "public_decryption_response", "decrypted_result", "signature", "extra_data"),
            true, true, DECRYPTION_BATCH, FAST_POLL);

    public static final OperationKind USER_DECRYPTION = new OperationKind("user-decryption", "User decryption",
            "user_decryption_request",
            requests("user_decryption_requests", "decryption_id", "user_decryption_request_available",
                    "ct_handles", "user_address", "public_key", "extra_data", "tx_hash", "handle_owner_addresses",
                    "handle_contract_addresses", "allowed_contracts", "start_timestamp", "duration_seconds",
                    "signature"),
            responses("user_decryption_responses", "decryption_id", "user_decryption_response_available",
                    "user_decryption_response", "user_decrypted_shares", "signature", "extra_data"),
            true, true, DECRYPTION_BATCH, FAST_POLL);

    public static final OperationKind PREP_KEYGEN = new OperationKind("prep-keygen", "Prep-keygen",
            "prep_keygen_request",
            requests("prep_keygen_requests", "prep_keygen_id", "prep_keygen_request_available",
                    "params_type:params_type", "extra_data"),
            responses("prep_keygen_responses", "prep_keygen_id", "prep_keygen_response_available",
                    "prep_keygen_response", "signature"),
            false, false, null, LONG_POLL);

    public static final OperationKind KEYGEN = new OperationKind("keygen", "Keygen", "keygen_request",
            requests("keygen_requests", "key_id", "keygen_request_available", "prep_keygen_id", "extra_data"),
            responses("keygen_responses", "key_id", "keygen_response_available", "keygen_response",
                    "key_digests:key_digest[]", "signature"),
            false, false, null, LONG_POLL);

    public static final OperationKind CRSGEN = new OperationKind("crsgen", "CRS generation", "crsgen_request",
            requests("crsgen_requests", "crs_id", "crsgen_request_available", "max_bit_length",
                    "params_type:params_type", "extra_data"),
            responses("crsgen_responses", "crs_id", "crsgen_response_available", "crsgen_response", "crs_digest",
                    "signature"),
            false, false, null, LONG_POLL);

    public static final OperationKind ABORT_KEYGEN = new OperationKind("abort-keygen", "Keygen abort",
            "abort_keygen_request",
            requests("abort_keygen_requests", "prep_keygen_id", "abort_keygen_request_available"),
            Optional.empty(), false, false, null, LONG_POLL);

    public static final OperationKind ABORT_CRSGEN = new OperationKind("abort-crsgen", "CRS generation abort",
            "abort_crsgen_request",
            requests("abort_crsgen_requests", "crs_id", "abort_crsgen_request_available"),
            Optional.empty(), false, false, null, LONG_POLL);

    public static final OperationKind NEW_KMS_CONTEXT = new OperationKind("new-kms-context", "New KMS context",
            "new_kms_context",
            requests("new_kms_context", "context_id", "new_kms_context_available", "previous_context_id",
                    "kms_node_params", "thresholds", "software_version", "pcr_values"),
            responses("new_kms_context_responses", "context_id", "new_kms_context_response_available",
                    "new_kms_context_response"),
            false, false, null, LONG_POLL);

    public static final OperationKind NEW_KMS_EPOCH = new OperationKind("new-kms-epoch", "New KMS epoch",
            "new_kms_epoch",
            requests("new_kms_epoch", "epoch_id", "new_kms_epoch_available", "context_id", "previous_context_id",
                    "previous_epoch_id", "material_block_number"),
            responses("epoch_result_responses", "epoch_id", "epoch_result_response_available",
                    "epoch_result_response", "context_id", "keys", "crs_list"),
            false, false, null, LONG_POLL);

    public static final OperationKind KMS_CONTEXT_DESTROYED = new OperationKind("kms-context-destroyed",
            "KMS context destruction", "kms_context_destroyed",
            requests("kms_context_destroyed", "context_id", "kms_context_destroyed_available"),
            Optional.empty(), false, false, null, LONG_POLL);

    public static final OperationKind KMS_EPOCH_DESTROYED = new OperationKind("kms-epoch-destroyed",
            "KMS epoch destruction", "kms_epoch_destroyed",
            requests("kms_epoch_destroyed", "epoch_id", "kms_epoch_destroyed_available"),
            Optional.empty(), false, false, null, LONG_POLL);

    /** Every kind, in the order of behavior.md §A.7. */
    public static final List<OperationKind> ALL = List.of(PUBLIC_DECRYPTION, USER_DECRYPTION, PREP_KEYGEN, KEYGEN,
            CRSGEN, ABORT_KEYGEN, ABORT_CRSGEN, NEW_KMS_CONTEXT, NEW_KMS_EPOCH, KMS_CONTEXT_DESTROYED,
            KMS_EPOCH_DESTROYED);

    private Operations() {}

    /** The 11 request tables, written by the gw-listener. */
    public static List<OperationTable> requestTables() {
        return ALL.stream().map(OperationKind::requests).toList();
    }

    /** The 7 response tables, written by the kms-worker. */
    public static List<OperationTable> responseTables() {
        return ALL.stream().flatMap(k -> k.responses().stream()).map(OperationKind.Responses::table).toList();
    }

    /** The 18 live tables with a status; the original's legacy tables are not among them. */
    public static List<OperationTable> liveTables() {
        return Stream.concat(requestTables().stream(), responseTables().stream()).toList();
    }

    /** The tables of the kinds that expire after decryption_expiry, requests and responses. */
    public static List<OperationTable> expiringTables() {
        return ALL.stream().filter(OperationKind::expires)
                .flatMap(k -> Stream.concat(Stream.of(k.requests()), k.responses().stream()
                        .map(OperationKind.Responses::table)))
                .toList();
    }

    public static OperationKind byId(String id) {
        return ALL.stream().filter(k -> k.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no kind of operation " + id));
    }

    private static OperationTable requests(String table, String key, String channel, String... columns) {
        return new OperationTable(table, key, channel, columns(columns));
    }

    private static Optional<OperationKind.Responses> responses(String table, String key, String channel,
            String responseType, String... columns) {
        return Optional.of(new OperationKind.Responses(new OperationTable(table, key, channel, columns(columns)),
                responseType));
    }

    /** "name", "name:type" for a column read and written through a cast (an enum), "name:key_digest[]". */
    private static List<OperationTable.Column> columns(String... specs) {
        return Stream.of(specs).map(spec -> {
            int colon = spec.indexOf(':');
            if (colon < 0) {
                return OperationTable.Column.of(spec);
            }
            String name = spec.substring(0, colon);
            String type = spec.substring(colon + 1);
            return type.equals("key_digest[]") ? OperationTable.Column.keyDigests(name)
                    : OperationTable.Column.cast(name, type);
        }).toList();
    }
}
