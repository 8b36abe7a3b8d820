package org.kmsconnector.worker.ciphertext;

/**
 * Why the ciphertexts of a request could not be resolved. Recoverable failures (no consensus,
 * no bucket served a good body, transport trouble) are worth another attempt later; the others
 * (bad FHE type, handles attested under different keys) will never succeed.
 */
public class CiphertextException extends Exception {
    public static final String COPRO_CONSENSUS = "copro_consensus";
    public static final String NETWORK = "network";

    private final boolean recoverable;
    private final String checkType;

    public CiphertextException(String message, boolean recoverable, String checkType) {
        super(message);
        this.recoverable = recoverable;
        this.checkType = checkType;
    }

    public static CiphertextException recoverable(String checkType, String message) {
        return new CiphertextException(message, true, checkType);
    }

    public static CiphertextException irrecoverable(String message) {
        return new CiphertextException(message, false, COPRO_CONSENSUS);
    }

    public boolean recoverable() {
        return recoverable;
    }

    /** The {@code check_type} label of kms_connector_worker_request_check_errors. */
    public String checkType() {
        return checkType;
    }
}
