package org.kmsconnector.worker.ciphertext;

/**
 * The Gateway's coprocessor registry is unusable in a way waiting will not fix (a threshold of
 * zero, above the signer count, or out of range). The worker must stop rather than guess.
 */
public class CriticalRegistryException extends Exception {
    public CriticalRegistryException(String message) {
        super(message);
    }
}
