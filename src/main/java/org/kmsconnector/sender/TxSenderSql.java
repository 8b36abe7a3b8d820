package org.kmsconnector.sender;

import java.util.regex.Pattern;

/**
 * Every SQL statement of the tx-sender. Claims put the batch limit in the SQL (never camel-sql's
 * maxMessagesPerPoll, which drops rows it already claimed); status writes are guarded by
 * {@code status = 'under_process'} so a late writer never turns a finished row back.
 */
public final class TxSenderSql {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    /** The sql: consumer query; {{…}} is resolved by Camel from the service options. */
    public static final String CLAIM_PUBLIC_DECRYPTION_RESPONSES = claim("public_decryption_responses",
            "decryption_id", "decrypted_result, signature, extra_data, created_at");
    public static final String CLAIM_USER_DECRYPTION_RESPONSES = claim("user_decryption_responses",
            "decryption_id", "user_decrypted_shares, signature, extra_data, created_at");

    private TxSenderSql() {}

    /**
     * Also returns what an earlier pick sent (tx_nonce, tx_hashes as comma-separated hex), so the
     * sender settles that before sending anything. The outer status check repeats the inner one:
     * the claim, too, only moves a row from the state it expects. A row that came back with an
     * error (last_error set) waits one database_polling_timeout before it is claimed again, so a
     * node that refuses connections is not retried in a tight claim loop.
     */
    static String claim(String table, String pk, String columns) {
        return "UPDATE " + id(table) + " SET status = 'under_process'"
                + " WHERE " + id(pk) + " IN (SELECT " + pk + " FROM " + table
                + " WHERE status = 'pending' AND (last_error IS NULL OR updated_at < NOW()"
                + " - make_interval(secs => {{kms_connector.database_polling_timeout.ms}} / 1000.0))"
                + " ORDER BY updated_at"
                + " LIMIT {{kms_connector.responses_batch_size}} FOR UPDATE SKIP LOCKED) AND status = 'pending'"
                + " RETURNING " + pk + ", " + columns + ", tx_nonce,"
                + " array_to_string(ARRAY(SELECT encode(h, 'hex') FROM unnest(tx_hashes) AS h), ',') AS tx_hashes";
    }

    /** Written before a transaction is broadcast: a new nonce starts a new list, a replacement adds to it. */
    static String recordTransaction(String table, String pk) {
        return "UPDATE " + id(table) + " SET tx_hashes = CASE WHEN tx_nonce = ? THEN array_append(tx_hashes, ?)"
                + " ELSE ARRAY[?]::bytea[] END, tx_nonce = ?"
                + " WHERE " + id(pk) + " = ? AND status = 'under_process'";
    }

    static String complete(String table, String pk) {
        return "UPDATE " + id(table) + " SET status = 'completed', last_error = NULL"
                + " WHERE " + id(pk) + " = ? AND status = 'under_process'";
    }

    static String backToPending(String table, String pk) {
        return "UPDATE " + id(table) + " SET status = 'pending', last_error = ?"
                + " WHERE " + id(pk) + " = ? AND status = 'under_process'";
    }

    static String fail(String table, String pk) {
        return "UPDATE " + id(table) + " SET status = 'failed', last_error = ?"
                + " WHERE " + id(pk) + " = ? AND status = 'under_process'";
    }

    /** Table and column names are code constants; this only guards against misuse. */
    static String id(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
        return name;
    }
}
