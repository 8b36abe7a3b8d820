package org.kmsconnector.sender;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.kmsconnector.chain.Uint256;

/**
 * A claimed decryption response row, with what an earlier pick of it sent. {@code payload} is
 * the column the KMS signed: the public decrypted_result or the user_decrypted_shares.
 */
public record DecryptionResponseRow(byte[] rowId, BigInteger decryptionId, byte[] payload, byte[] signature,
        byte[] extraData, PriorSend prior) {

    public static DecryptionResponseRow fromRow(Map<String, Object> row, String payloadColumn) {
        byte[] id = (byte[]) row.get("decryption_id");
        return new DecryptionResponseRow(id, Uint256.fromLittleEndian(id), (byte[]) row.get(payloadColumn),
                (byte[]) row.get("signature"), (byte[]) row.get("extra_data"), prior(row));
    }

    /** tx_nonce and tx_hashes (comma-separated hex, as the claim returns them). */
    static PriorSend prior(Map<String, Object> row) {
        Object nonce = row.get("tx_nonce");
        Object hashes = row.get("tx_hashes");
        if (!(nonce instanceof Number n) || !(hashes instanceof String list) || list.isBlank()) {
            return PriorSend.NONE;
        }
        List<String> hs = Arrays.stream(list.split(",")).map(h -> "0x" + h.trim()).toList();
        return new PriorSend(BigInteger.valueOf(n.longValue()), hs);
    }
}
