package org.kmsconnector.sender;

import java.math.BigInteger;

/**
 * What tells the two decryption responses apart for the one sender: the metrics label, the
 * table and the column holding the KMS-signed bytes, and the Decryption call that carries them.
 */
public record DecryptionResponseKind(String responseType, String label, String table, String payloadColumn,
        Calldata calldata) {

    /** Builds the call from a stored row; the payload bytes go on chain exactly as stored. */
    @FunctionalInterface
    public interface Calldata {
        byte[] build(BigInteger decryptionId, byte[] payload, byte[] signature, byte[] extraData);
    }

    public static final DecryptionResponseKind PUBLIC = new DecryptionResponseKind("public_decryption_response",
            "Public decryption response", "public_decryption_responses", "decrypted_result",
            DecryptionResponseCalls::publicDecryptionResponse);
    public static final DecryptionResponseKind USER = new DecryptionResponseKind("user_decryption_response",
            "User decryption response", "user_decryption_responses", "user_decrypted_shares",
            DecryptionResponseCalls::userDecryptionResponse);
}
