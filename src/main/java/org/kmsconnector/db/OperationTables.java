package org.kmsconnector.db;

import java.util.List;

/** The live tables that hold operations with a status, as the recovery job and the gauges see them. */
public final class OperationTables {
    /** Written by the gw-listener, claimed by the kms-worker. */
    public static final List<String> REQUESTS = List.of("public_decryption_requests", "user_decryption_requests",
            "prep_keygen_requests", "keygen_requests", "crsgen_requests", "abort_keygen_requests",
            "abort_crsgen_requests", "new_kms_context", "new_kms_epoch", "kms_context_destroyed",
            "kms_epoch_destroyed");

    /** Written by the kms-worker, claimed by the tx-sender. */
    public static final List<String> RESPONSES = List.of("public_decryption_responses", "user_decryption_responses",
            "prep_keygen_responses", "keygen_responses", "crsgen_responses", "new_kms_context_responses",
            "epoch_result_responses");

    /** Every live table with a status (18): the legacy ones of the schema are left out. */
    public static final List<String> ALL = concat(REQUESTS, RESPONSES);

    /** The tables of decryptions, which expire after decryption_expiry. */
    public static final List<String> DECRYPTIONS = List.of("public_decryption_requests", "user_decryption_requests",
            "public_decryption_responses", "user_decryption_responses");

    private OperationTables() {}

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
