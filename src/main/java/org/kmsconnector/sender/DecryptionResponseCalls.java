package org.kmsconnector.sender;

import java.math.BigInteger;
import java.util.List;
import org.kmsconnector.db.Operations;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/** Calldata of the two Gateway Decryption calls the tx-sender makes (contracts.md §4.2). */
public final class DecryptionResponseCalls {
    /** publicDecryptionResponse(uint256,bytes,bytes,bytes) */
    public static final String PUBLIC_SELECTOR = "0x6f8913bc";
    /** userDecryptionResponse(uint256,bytes,bytes,bytes) */
    public static final String USER_SELECTOR = "0x046f9eb3";

    private DecryptionResponseCalls() {}

    /** publicDecryptionResponse on the Gateway's Decryption contract, the result exactly as stored. */
    public static ResponseCall publicDecryption(ChainSender gateway, String decryptionAddress) {
        return new ResponseCall(Operations.PUBLIC_DECRYPTION, gateway, decryptionAddress,
                row -> publicDecryptionResponse(row.id(), row.bytes("decrypted_result"), row.bytes("signature"),
                        row.bytes("extra_data")));
    }

    /** userDecryptionResponse on the Gateway's Decryption contract, the share exactly as the KMS signed it. */
    public static ResponseCall userDecryption(ChainSender gateway, String decryptionAddress) {
        return new ResponseCall(Operations.USER_DECRYPTION, gateway, decryptionAddress,
                row -> userDecryptionResponse(row.id(), row.bytes("user_decrypted_shares"), row.bytes("signature"),
                        row.bytes("extra_data")));
    }

    public static byte[] publicDecryptionResponse(BigInteger decryptionId, byte[] decryptedResult, byte[] signature,
            byte[] extraData) {
        return encode("publicDecryptionResponse", decryptionId, decryptedResult, signature, extraData);
    }

    public static byte[] userDecryptionResponse(BigInteger decryptionId, byte[] userDecryptedShare, byte[] signature,
            byte[] extraData) {
        return encode("userDecryptionResponse", decryptionId, userDecryptedShare, signature, extraData);
    }

    private static byte[] encode(String name, BigInteger id, byte[] payload, byte[] signature, byte[] extraData) {
        Function f = new Function(name, List.of(new Uint256(id), new DynamicBytes(payload),
                new DynamicBytes(signature), new DynamicBytes(extraData)), List.of());
        return Numeric.hexStringToByteArray(FunctionEncoder.encode(f));
    }
}
