package org.kmsconnector.worker.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.kms.v1.CiphertextFormat;
import org.kmsconnector.kms.v1.PublicDecryptionRequest;
import org.kmsconnector.kms.v1.UserDecryptionRequest;

/** Byte-exact checks of the requests on the wire; expected bytes are spelled out tag by tag. */
class DecryptionRequestsTest {
    static final BigInteger PUBLIC_ID = BigInteger.ONE.shiftLeft(248).add(BigInteger.ONE);
    static final BigInteger USER_ID = BigInteger.TWO.shiftLeft(248).add(BigInteger.ONE);
    static final BigInteger KEY_ID = BigInteger.valueOf(4).shiftLeft(248).add(BigInteger.ONE);
    // EIP-55 examples from the EIP itself, given here in lower case
    static final String CONTRACT_LOWER = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed";
    static final String CONTRACT_EIP55 = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    static final String USER_LOWER = "fb6916095ca1df60bb79ce92ce3ea74c37c5d359";
    static final String USER_EIP55 = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359";
    static final DecryptionRequests.Domain DOMAIN = new DecryptionRequests.Domain("Decryption", "1", 54321, CONTRACT_LOWER);
    static final byte[] HANDLE = Hex.decode("11".repeat(30) + "0200");

    @Test
    void requestIdIsTheHexStringOfTheBigEndianValue() {
        assertEquals("0a40" + ascii("01" + "0".repeat(61) + "1"),
                Hex.encode(DecryptionRequests.requestId(PUBLIC_ID).toByteArray()));
    }

    @Test
    void domainCarriesA32ByteChainIdAndAChecksummedContract() {
        assertEquals(domainHex(), Hex.encode(DOMAIN.toMsg().toByteArray()));
        assertFalse(DOMAIN.toMsg().hasSalt());
    }

    @Test
    void publicRequestWithLegacyExtraDataHasNoContextAndEmptyExtraData() {
        var ct = new DecryptionRequests.Ciphertext(HANDLE, Hex.decode("aabb"), 2, 11);
        PublicDecryptionRequest req = DecryptionRequests.publicDecryption(PUBLIC_ID, List.of(ct), KEY_ID, DOMAIN, new byte[] {0});
        String expected = field("0a", requestIdHex(PUBLIC_ID))
                + field("12", "0a02aabb" + "1002" + "1a20" + Hex.encode(HANDLE) + "2002")
                + field("1a", requestIdHex(KEY_ID))
                + field("22", domainHex());
        // extra_data [0x00] became empty, which proto3 does not serialize; no context/epoch ids
        assertEquals(expected, Hex.encode(req.toByteArray()));
    }

    @Test
    void publicRequestWithV1ExtraDataSetsContextOnly() {
        BigInteger ctx = BigInteger.valueOf(7).shiftLeft(248).add(BigInteger.ONE);
        byte[] extra = Hex.decode("01" + Hex.encode(org.kmsconnector.chain.Uint256.toBigEndian(ctx)) + "ff");
        var ct = new DecryptionRequests.Ciphertext(HANDLE, Hex.decode("aabb"), 2, 20);
        PublicDecryptionRequest req = DecryptionRequests.publicDecryption(PUBLIC_ID, List.of(ct), KEY_ID, DOMAIN, extra);
        String expected = field("0a", requestIdHex(PUBLIC_ID))
                + field("12", "0a02aabb" + "1002" + "1a20" + Hex.encode(HANDLE) + "2003")
                + field("1a", requestIdHex(KEY_ID))
                + field("22", domainHex())
                + field("2a", Hex.encode(extra))
                + field("32", requestIdHex(ctx));
        assertEquals(expected, Hex.encode(req.toByteArray()));
    }

    @Test
    void userRequestUsesItsOwnFieldNumbersAndSetsContextAndEpoch() {
        BigInteger ctx = BigInteger.valueOf(7).shiftLeft(248).add(BigInteger.TWO);
        BigInteger epoch = BigInteger.valueOf(8).shiftLeft(248).add(BigInteger.ONE);
        byte[] extra = Hex.decode("02" + Hex.encode(org.kmsconnector.chain.Uint256.toBigEndian(ctx))
                + Hex.encode(org.kmsconnector.chain.Uint256.toBigEndian(epoch)));
        var ct = new DecryptionRequests.Ciphertext(HANDLE, Hex.decode("cc"), 8, 10);
        UserDecryptionRequest req = DecryptionRequests.userDecryption(
                USER_ID, List.of(ct), KEY_ID, DOMAIN, extra, USER_LOWER, Hex.decode("beef"));
        String expected = field("0a", requestIdHex(USER_ID))
                + field("12", "0a01cc" + "1008" + "1a20" + Hex.encode(HANDLE) + "2003")
                + field("1a", requestIdHex(KEY_ID))
                + field("22", ascii(USER_EIP55))
                + field("2a", "beef")
                + field("32", domainHex())
                + field("3a", Hex.encode(extra))
                + field("42", requestIdHex(ctx))
                + field("4a", requestIdHex(epoch));
        assertEquals(expected, Hex.encode(req.toByteArray()));
    }

    @Test
    void attestedFormatsMapToBigFormatsOnly() {
        assertEquals(CiphertextFormat.BigExpanded, DecryptionRequests.format(10));
        assertEquals(CiphertextFormat.BigExpanded, DecryptionRequests.format(20));
        assertEquals(CiphertextFormat.BigCompressed, DecryptionRequests.format(11));
        assertEquals(CiphertextFormat.BigCompressed, DecryptionRequests.format(21));
        for (int bad : new int[] {0, 1, 2, 3, 12, 22, -1}) {
            assertThrows(IllegalArgumentException.class, () -> DecryptionRequests.format(bad));
        }
    }

    @Test
    void badInputsAreRejected() {
        var ct = new DecryptionRequests.Ciphertext(HANDLE, new byte[] {1}, 2, 11);
        assertThrows(IllegalArgumentException.class,
                () -> DecryptionRequests.publicDecryption(PUBLIC_ID, List.of(ct), KEY_ID, DOMAIN, new byte[] {3}));
        assertThrows(IllegalArgumentException.class,
                () -> DecryptionRequests.publicDecryption(PUBLIC_ID, List.of(ct), KEY_ID, DOMAIN, new byte[] {1, 2}));
        assertThrows(IllegalArgumentException.class,
                () -> DecryptionRequests.publicDecryption(PUBLIC_ID, List.of(), KEY_ID, DOMAIN, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> DecryptionRequests.userDecryption(
                USER_ID, List.of(ct), KEY_ID, DOMAIN, new byte[0], "0x1234", new byte[1]));
        assertThrows(IllegalArgumentException.class,
                () -> new DecryptionRequests.Domain("Decryption", "1", 1, "0xnothex").toMsg());
    }

    static String domainHex() {
        return field("0a", ascii("Decryption")) + field("12", ascii("1"))
                + field("1a", "00".repeat(30) + "d431") + field("22", ascii(CONTRACT_EIP55));
    }

    static String requestIdHex(BigInteger id) {
        String hex = String.format("%064x", id);
        return "0a40" + ascii(hex);
    }

    /** tag ‖ one-byte length ‖ value (all values here are shorter than 128 bytes). */
    static String field(String tag, String valueHex) {
        int len = valueHex.length() / 2;
        if (len > 127) {
            throw new IllegalStateException("test helper handles short fields only");
        }
        return tag + String.format("%02x", len) + valueHex;
    }

    static String ascii(String s) {
        return Hex.encode(s.getBytes(StandardCharsets.US_ASCII));
    }
}
