package org.kmsconnector.sender;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.kmsconnector.chain.Uint256;

/** A claimed public_decryption_responses row, with what an earlier pick of it sent. */
public record PublicDecryptionResponseRow(byte[] rowId, BigInteger decryptionId, byte[] decryptedResult,
        byte[] signature, byte[] extraData, PriorSend prior) {

    public static PublicDecryptionResponseRow fromRow(Map<String, Object> row) {
        byte[] id = (byte[]) row.get("decryption_id");
        return new PublicDecryptionResponseRow(id, Uint256.fromLittleEndian(id), (byte[]) row.get("decrypted_result"),
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
