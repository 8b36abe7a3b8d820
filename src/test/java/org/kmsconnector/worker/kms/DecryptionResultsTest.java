package org.kmsconnector.worker.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.kms.v1.TypedPlaintext;
import org.kmsconnector.kms.v1.TypedSigncryptedCiphertext;
import org.kmsconnector.kms.v1.UserDecryptionResponsePayload;

class DecryptionResultsTest {

    @Test
    void plaintextsBecomeBigEndianWordsInOrder() {
        byte[] out = DecryptionResults.abiEncodePlaintexts(List.of(
                pt("01", 0),                          // Bool true
                pt("3412", 3),                        // Uint16 0x1234, little-endian
                pt("", 2),                            // empty bytes = 0
                pt("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20", 8)));
        assertEquals(
                "00".repeat(31) + "01"
                        + "00".repeat(30) + "1234"
                        + "00".repeat(32)
                        + "201f1e1d1c1b1a191817161514131211100f0e0d0c0b0a090807060504030201",
                Hex.encode(out));
    }

    @Test
    void addressSizedPlaintextIsLeftPadded() {
        String le = "efcdab8967452301efcdab8967452301efcdab89"; // 20 bytes
        byte[] out = DecryptionResults.abiEncodePlaintexts(List.of(pt(le, 7)));
        assertEquals("00".repeat(12) + "89abcdef0123456789abcdef0123456789abcdef", Hex.encode(out));
    }

    @Test
    void typesThatAreNotFheTypesAreSkipped() {
        byte[] out = DecryptionResults.abiEncodePlaintexts(List.of(pt("05", -1), pt("07", 5), pt("09", 84), pt("09", 1000)));
        assertEquals("00".repeat(31) + "07", Hex.encode(out));
        assertEquals(0, DecryptionResults.abiEncodePlaintexts(List.of()).length);
    }

    @Test
    void validButUnsupportedTypesAndOversizedValuesAreErrors() {
        for (int type : new int[] {1, 9, 10, 11, 40, 83}) {
            assertThrows(IllegalArgumentException.class,
                    () -> DecryptionResults.abiEncodePlaintexts(List.of(pt("01", type))), "type " + type);
        }
        assertThrows(IllegalArgumentException.class,
                () -> DecryptionResults.abiEncodePlaintexts(List.of(pt("00".repeat(33), 8))));
    }

    @Test
    void bincodeOfAPayloadFollowsTheLayoutTable() {
        UserDecryptionResponsePayload payload = UserDecryptionResponsePayload.newBuilder()
                .setVerificationKey(bytes("aa"))
                .setDigest(bytes("bbcc"))
                .addSigncryptedCiphertexts(TypedSigncryptedCiphertext.newBuilder()
                        .setFheType(2).setSigncryptedCiphertext(bytes("01"))
                        .setExternalHandle(bytes("0203")).setPackingFactor(1))
                .addSigncryptedCiphertexts(TypedSigncryptedCiphertext.newBuilder()
                        .setFheType(-1).setPackingFactor(0xfffffffe))
                .setPartyId(3)
                .setDegree(0x01020304)
                .build();
        String expected =
                "0100000000000000" + "aa"                 // verification_key
                + "0200000000000000" + "bbcc"             // digest
                + "0200000000000000"                      // two ciphertexts
                + "02000000" + "0100000000000000" + "01" + "0200000000000000" + "0203" + "01000000"
                + "ffffffff" + "0000000000000000" + "0000000000000000" + "feffffff"
                + "03000000"                              // party_id
                + "04030201";                             // degree
        assertEquals(expected, Hex.encode(DecryptionResults.bincodeUserPayload(payload)));
    }

    @Test
    void bincodeOfTheDefaultPayloadIsThirtyTwoZeroBytes() {
        // what the upstream tests store for their near-empty mocked reply
        assertEquals("00".repeat(32),
                Hex.encode(DecryptionResults.bincodeUserPayload(UserDecryptionResponsePayload.getDefaultInstance())));
    }

    private static TypedPlaintext pt(String leHex, int type) {
        return TypedPlaintext.newBuilder().setBytes(bytes(leHex)).setFheType(type).build();
    }

    private static ByteString bytes(String hex) {
        return ByteString.copyFrom(Hex.decode(hex));
    }
}
