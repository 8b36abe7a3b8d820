package org.kmsconnector.sender;

import java.math.BigInteger;
import java.util.Map;
import org.kmsconnector.chain.Uint256;

/** A claimed public_decryption_responses row. */
public record PublicDecryptionResponseRow(byte[] rowId, BigInteger decryptionId, byte[] decryptedResult,
        byte[] signature, byte[] extraData) {

    public static PublicDecryptionResponseRow fromRow(Map<String, Object> row) {
        byte[] id = (byte[]) row.get("decryption_id");
        return new PublicDecryptionResponseRow(id, Uint256.fromLittleEndian(id), (byte[]) row.get("decrypted_result"),
                (byte[]) row.get("signature"), (byte[]) row.get("extra_data"));
    }
}
