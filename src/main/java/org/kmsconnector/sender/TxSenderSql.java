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

    static String claim(String table, String pk, String columns) {
        return "UPDATE " + id(table) + " SET status = 'under_process'"
                + " WHERE " + id(pk) + " IN (SELECT " + pk + " FROM " + table
                + " WHERE status = 'pending' ORDER BY updated_at"
                + " LIMIT {{kms_connector.responses_batch_size}} FOR UPDATE SKIP LOCKED)"
                + " RETURNING " + pk + ", " + columns;
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
