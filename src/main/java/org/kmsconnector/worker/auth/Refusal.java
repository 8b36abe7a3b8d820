package org.kmsconnector.worker.auth;

/**
 * Why a request may not go to the KMS Core (yet). A recoverable refusal puts the request back to
 * pending (it fails at max_decryption_attempts); an irrecoverable one fails it at once.
 * {@code checkType} labels kms_connector_worker_request_check_errors: acl, signature,
 * copro_consensus, kms_context or network.
 */
public record Refusal(String reason, boolean recoverable, String checkType) {

    public static Refusal recoverable(String checkType, String reason) {
        return new Refusal(reason, true, checkType);
    }

    public static Refusal irrecoverable(String checkType, String reason) {
        return new Refusal(reason, false, checkType);
    }
}
