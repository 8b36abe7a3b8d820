package org.kmsconnector.worker;

/**
 * Every SQL statement of the kms-worker. The claims are registered as Camel properties (sql.*)
 * for the routes; their LIMIT lives in the statement, because the sql consumer must process
 * every row it claims. The status writes are built per decryption kind from code constants and
 * are guarded by the state they expect, so a late writer never turns a finished row back.
 */
final class WorkerSql {
    static final String CLAIM_PUBLIC_DECRYPTION_REQUESTS = claim(DecryptionKind.PUBLIC,
            "ct_handles, extra_data, already_sent, error_counter, otlp_context, created_at");
    static final String CLAIM_USER_DECRYPTION_REQUESTS = claim(DecryptionKind.USER,
            "ct_handles, user_address, public_key, extra_data, tx_hash, handle_owner_addresses,"
                    + " handle_contract_addresses, allowed_contracts, start_timestamp, duration_seconds, signature,"
                    + " already_sent, error_counter, otlp_context, created_at");

    private WorkerSql() {}

    private static String claim(DecryptionKind kind, String columns) {
        return "UPDATE " + kind.requestTable() + " SET status = 'under_process' WHERE decryption_id IN ("
                + "SELECT decryption_id FROM " + kind.requestTable() + " WHERE status = 'pending'"
                + " ORDER BY updated_at LIMIT {{kms_connector.events_batch_size}} FOR UPDATE SKIP LOCKED)"
                + " RETURNING decryption_id, " + columns;
    }

    static String insertResponse(DecryptionKind kind) {
        return "INSERT INTO " + kind.responseTable() + " (decryption_id, " + kind.payloadColumn()
                + ", signature, extra_data, created_at, otlp_context) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    }

    /** The response insert's trigger already completes the request; this also records the attempt counters. */
    /** Locks the request row while its answer is stored: a request failed meanwhile keeps its verdict. */
    static String lockRequest(DecryptionKind kind) {
        return "SELECT status::text FROM " + kind.requestTable() + " WHERE decryption_id = ? FOR UPDATE";
    }

    static String complete(DecryptionKind kind) {
        return "UPDATE " + kind.requestTable() + " SET status = 'completed', already_sent = TRUE,"
                + " error_counter = LEAST(error_counter + ?, 32767), last_error = NULL"
                + " WHERE decryption_id = ? AND status IN ('under_process', 'completed')";
    }

    /** Back to pending, or failed once max_decryption_attempts is reached; returns the new status. */
    static String retryOrFail(DecryptionKind kind) {
        return "UPDATE " + kind.requestTable()
                + " SET error_counter = LEAST(error_counter + ?, 32767), already_sent = already_sent OR ?,"
                + " last_error = ?, status = CASE WHEN error_counter + ? >= ? THEN 'failed'::operation_status"
                + " ELSE 'pending'::operation_status END"
                + " WHERE decryption_id = ? AND status = 'under_process' RETURNING status";
    }

    static String end(DecryptionKind kind) {
        return "UPDATE " + kind.requestTable() + " SET status = ?::operation_status,"
                + " already_sent = already_sent OR ?, error_counter = LEAST(error_counter + ?, 32767), last_error = ?"
                + " WHERE decryption_id = ? AND status = 'under_process'";
    }
}
