package org.kmsconnector.sender;

import java.math.BigInteger;
import java.util.Map;
import org.kmsconnector.chain.Uint256;

/**
 * A claimed decryption response row. {@code payload} is the column the KMS signed: the public
 * decrypted_result or the user_decrypted_shares.
 */
public record DecryptionResponseRow(byte[] rowId, BigInteger decryptionId, byte[] payload, byte[] signature,
        byte[] extraData) {

    public static DecryptionResponseRow fromRow(Map<String, Object> row, String payloadColumn) {
        byte[] id = (byte[]) row.get("decryption_id");
        return new DecryptionResponseRow(id, Uint256.fromLittleEndian(id), (byte[]) row.get(payloadColumn),
                (byte[]) row.get("signature"), (byte[]) row.get("extra_data"));
    }
}
