package org.kmsconnector.worker;

/**
 * The names that tell the two decryption kinds apart in the shared steps: the metrics label,
 * the tables and the response column that holds the KMS-signed bytes.
 */
public record DecryptionKind(String eventType, String label, String requestTable, String responseTable,
        String payloadColumn) {

    public static final DecryptionKind PUBLIC = new DecryptionKind("public_decryption_request", "Public decryption",
            "public_decryption_requests", "public_decryption_responses", "decrypted_result");
    public static final DecryptionKind USER = new DecryptionKind("user_decryption_request", "User decryption",
            "user_decryption_requests", "user_decryption_responses", "user_decrypted_shares");
}
