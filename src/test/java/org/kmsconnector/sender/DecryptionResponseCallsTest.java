package org.kmsconnector.sender;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Hex;
import org.web3j.crypto.Hash;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DecryptionResponseCallsTest {
    @Test
    void selectorsAreThoseOfTheGatewayFunctions() {
        assertEquals(DecryptionResponseCalls.PUBLIC_SELECTOR,
                selectorOf("publicDecryptionResponse(uint256,bytes,bytes,bytes)"));
        assertEquals(DecryptionResponseCalls.USER_SELECTOR, selectorOf("userDecryptionResponse(uint256,bytes,bytes,bytes)"));
        assertEquals("0x6f8913bc", DecryptionResponseCalls.PUBLIC_SELECTOR);
        assertEquals("0x046f9eb3", DecryptionResponseCalls.USER_SELECTOR);

        byte[] call = DecryptionResponseCalls.publicDecryptionResponse(BigInteger.TEN, new byte[] {1}, new byte[65],
                new byte[] {0});
        assertEquals("0x6f8913bc", Hex.prefixed(Arrays.copyOf(call, 4)));
        assertEquals("0x046f9eb3", Hex.prefixed(Arrays.copyOf(
                DecryptionResponseCalls.userDecryptionResponse(BigInteger.TEN, new byte[0], new byte[0], new byte[0]), 4)));
    }

    @Test
    void argumentsAreAbiEncodedInOrder() {
        byte[] call = DecryptionResponseCalls.publicDecryptionResponse(BigInteger.valueOf(5), new byte[] {(byte) 0xaa},
                new byte[] {(byte) 0xbb}, new byte[] {0});
        // id word, then three offsets (0x80, 0xc0, 0x100), then each bytes value as length + padded data
        assertEquals(4 + 32 * 4 + 3 * 64, call.length);
        assertEquals(BigInteger.valueOf(5), new BigInteger(1, Arrays.copyOfRange(call, 4, 36)));
        assertEquals(0x80, new BigInteger(1, Arrays.copyOfRange(call, 36, 68)).intValue());
        assertEquals((byte) 0xaa, call[4 + 0x80 + 32]);
        assertEquals((byte) 0xbb, call[4 + 0xc0 + 32]);
    }

    private static String selectorOf(String signature) {
        return Hex.prefixed(Arrays.copyOf(Hash.sha3(signature.getBytes()), 4));
    }
}
