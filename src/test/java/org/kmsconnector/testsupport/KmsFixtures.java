package org.kmsconnector.testsupport;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.kms.v1.PublicDecryptionRequest;
import org.kmsconnector.kms.v1.UserDecryptionRequest;
import org.kmsconnector.worker.kms.DecryptionRequests;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/** Requests and keys shared by the KMS client and double tests. */
public final class KmsFixtures {
    public static final ECKeyPair SIGNER = ECKeyPair.create(new BigInteger("5eed5eed5eed5eed", 16));
    public static final String SIGNER_ADDRESS = Keys.toChecksumAddress(Keys.getAddress(SIGNER));
    public static final String DECRYPTION_CONTRACT = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    public static final String USER = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359";
    public static final long GATEWAY_CHAIN_ID = 54321;
    public static final DecryptionRequests.Domain DOMAIN =
            new DecryptionRequests.Domain("Decryption", "1", GATEWAY_CHAIN_ID, DECRYPTION_CONTRACT);
    public static final BigInteger KEY_ID = BigInteger.valueOf(4).shiftLeft(248).add(BigInteger.ONE);
    public static final byte[] V1_EXTRA_DATA = extraV1(BigInteger.valueOf(7).shiftLeft(248).add(BigInteger.ONE));

    private KmsFixtures() {}

    public static BigInteger publicId(long counter) {
        return BigInteger.ONE.shiftLeft(248).add(BigInteger.valueOf(counter));
    }

    public static BigInteger userId(long counter) {
        return BigInteger.TWO.shiftLeft(248).add(BigInteger.valueOf(counter));
    }

    /** A handle whose byte 30 is the FHE type, as the Gateway lays it out. */
    public static byte[] handle(int seed, int fheType) {
        byte[] h = new byte[32];
        Arrays.fill(h, 0, 21, (byte) seed);
        h[30] = (byte) fheType;
        return h;
    }

    /** Three ciphertexts of different types (Bool, Uint64, Uint256). */
    public static List<DecryptionRequests.Ciphertext> ciphertexts() {
        return List.of(
                new DecryptionRequests.Ciphertext(handle(1, 0), new byte[] {1, 2, 3}, 0, 11),
                new DecryptionRequests.Ciphertext(handle(2, 5), new byte[] {4, 5, 6, 7}, 5, 10),
                new DecryptionRequests.Ciphertext(handle(3, 8), new byte[] {8}, 8, 21));
    }

    public static PublicDecryptionRequest publicRequest(BigInteger id) {
        return DecryptionRequests.publicDecryption(id, ciphertexts(), KEY_ID, DOMAIN, V1_EXTRA_DATA);
    }

    public static UserDecryptionRequest userRequest(BigInteger id) {
        return DecryptionRequests.userDecryption(id, ciphertexts(), KEY_ID, DOMAIN, V1_EXTRA_DATA, USER,
                new byte[] {(byte) 0xee, 0x01, 0x02});
    }

    public static String requestId(BigInteger id) {
        return Uint256.toRequestId(id);
    }

    private static byte[] extraV1(BigInteger contextId) {
        byte[] out = new byte[33];
        out[0] = 1;
        System.arraycopy(Uint256.toBigEndian(contextId), 0, out, 1, 32);
        return out;
    }
}
