package org.kmsconnector.sender;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.AbiReader;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.KeyDigest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Calldata of the KMSGeneration responses: the spec's selectors and the ABI layout, read back independently. */
class KeyManagementResponseCallsTest {
    private static final BigInteger KEY = BigInteger.valueOf(4).shiftLeft(248).add(BigInteger.ONE);

    @Test
    void selectorsAreTheContractsOnes() {
        assertEquals(KeyManagementResponseCalls.PREP_KEYGEN_SELECTOR,
                selector(KeyManagementResponseCalls.prepKeygenResponse(BigInteger.ONE, new byte[65])));
        assertEquals(KeyManagementResponseCalls.KEYGEN_SELECTOR, selector(KeyManagementResponseCalls.keygenResponse(
                KEY, List.of(new KeyDigest(KeyDigest.Type.Server, new byte[] {1})), new byte[65])));
        assertEquals(KeyManagementResponseCalls.CRSGEN_SELECTOR,
                selector(KeyManagementResponseCalls.crsgenResponse(BigInteger.TWO, new byte[32], new byte[65])));
    }

    /** (uint256 keyId, (uint8,bytes)[] keyDigests, bytes signature): the tuples in the KMS Core's order. */
    @Test
    void keyDigestsKeepTheirOrderAndTypes() {
        byte[] sig = new byte[65];
        Arrays.fill(sig, (byte) 7);
        byte[] calldata = KeyManagementResponseCalls.keygenResponse(KEY, List.of(
                new KeyDigest(KeyDigest.Type.CompressedKeySet, Hex.decode("aabb")),
                new KeyDigest(KeyDigest.Type.Public, Hex.decode("cc"))), sig);
        AbiReader args = AbiReader.of(Arrays.copyOfRange(calldata, 4, calldata.length));
        assertEquals(KEY, args.uint(0));
        assertArrayEquals(sig, args.bytes(2));
        List<AbiReader> digests = args.dynamicTupleArray(1);
        assertEquals(2, digests.size());
        AbiReader first = digests.get(0);
        AbiReader second = digests.get(1);
        assertEquals(BigInteger.valueOf(3), first.uint(0));
        assertArrayEquals(Hex.decode("aabb"), first.bytes(1));
        assertEquals(BigInteger.ONE, second.uint(0));
        assertArrayEquals(Hex.decode("cc"), second.bytes(1));
    }

    @Test
    void aKeyWithoutDigestsCannotBeSent() {
        assertThrows(IllegalArgumentException.class,
                () -> KeyManagementResponseCalls.keygenResponse(KEY, List.of(), new byte[65]));
    }

    private static String selector(byte[] calldata) {
        return Hex.prefixed(Arrays.copyOf(calldata, 4));
    }
}
