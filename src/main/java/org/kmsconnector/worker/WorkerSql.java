package org.kmsconnector.worker;

/**
 * The kms-worker's claim statements, registered as Camel properties (sql.*) for the routes.
 * The LIMIT lives in the statement: the sql consumer must process every row it claims.
 */
final class WorkerSql {
    static final String CLAIM_PUBLIC_DECRYPTION_REQUESTS = "UPDATE public_decryption_requests"
            + " SET status = 'under_process' WHERE decryption_id IN ("
            + "SELECT decryption_id FROM public_decryption_requests WHERE status = 'pending'"
            + " ORDER BY updated_at LIMIT {{kms_connector.events_batch_size}} FOR UPDATE SKIP LOCKED)"
            + " RETURNING decryption_id, ct_handles, extra_data, already_sent, error_counter, otlp_context, created_at";

    private WorkerSql() {}
}
