package org.kmsconnector.chain;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Uint256Test {
    private static final BigInteger FIRST_PUBLIC_DECRYPTION = BigInteger.ONE.shiftLeft(248).add(BigInteger.ONE);

    @Test
    void requestIdIsSixtyFourLowerCaseHexOfTheBigEndianValue() {
        assertEquals("0100000000000000000000000000000000000000000000000000000000000001",
                Uint256.toRequestId(FIRST_PUBLIC_DECRYPTION));
        assertEquals(FIRST_PUBLIC_DECRYPTION,
                Uint256.fromRequestId("0100000000000000000000000000000000000000000000000000000000000001"));
        assertEquals("0000000000000000000000000000000000000000000000000000000000000000",
                Uint256.toRequestId(BigInteger.ZERO));
    }

    @Test
    void databaseLayoutIsLittleEndian() {
        byte[] le = Uint256.toLittleEndian(FIRST_PUBLIC_DECRYPTION);
        assertEquals(32, le.length);
        assertEquals(1, le[0]);
        assertEquals(1, le[31]);
        assertEquals(0, le[30]);
        assertEquals(BigInteger.valueOf(0x0201), Uint256.fromLittleEndian(
                Uint256.toLittleEndian(BigInteger.valueOf(0x0201))));
        assertEquals(2, Uint256.toLittleEndian(BigInteger.valueOf(0x0201))[1]);
    }

    @Test
    void bigEndianRoundTripsTheLargestValue() {
        byte[] be = Uint256.toBigEndian(Uint256.MAX);
        assertEquals(32, be.length);
        assertEquals(Uint256.MAX, Uint256.fromBigEndian(be));
        assertArrayEquals(new byte[32], Uint256.toBigEndian(BigInteger.ZERO));
    }

    @Test
    void outOfRangeValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Uint256.toBigEndian(Uint256.MAX.add(BigInteger.ONE)));
        assertThrows(IllegalArgumentException.class, () -> Uint256.toBigEndian(BigInteger.valueOf(-1)));
        assertThrows(IllegalArgumentException.class, () -> Uint256.fromLittleEndian(new byte[31]));
    }
}
