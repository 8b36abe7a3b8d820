package org.kmsconnector.chain;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandleAndExtraDataTest {

    @Test
    void handleCarriesHostChainIdAndFheType() {
        // 21 hash bytes, index 0, host chain 12345 (0x3039) as a big-endian u64, FHE type 5, version 0
        Handle h = new Handle(Hex.decode("5a88cbf2a5a03d9d87d2e71aa23d8f77f4e5e7ee0e" + "00" + "0000000000003039" + "05" + "00"));
        assertEquals(12345L, h.hostChainId());
        assertEquals(5, h.fheType());
        assertThrows(IllegalArgumentException.class, () -> new Handle(new byte[31]));
    }

    @Test
    void emptyOrZeroVersionMeansNoContext() {
        assertTrue(ExtraData.parse(new byte[0]).contextId().isEmpty());
        assertTrue(ExtraData.parse(new byte[] {0}).contextId().isEmpty());
        assertTrue(ExtraData.parse(new byte[] {0, 7, 7}).epochId().isEmpty());
    }

    @Test
    void versionOneAndTwoCarryContextAndEpoch() {
        byte[] v1 = new byte[34];
        v1[0] = 1;
        v1[32] = 9;
        assertEquals(BigInteger.valueOf(9), ExtraData.parse(v1).contextId().orElseThrow());
        assertTrue(ExtraData.parse(v1).epochId().isEmpty());

        byte[] v2 = new byte[65];
        v2[0] = 2;
        v2[1] = 7;
        v2[64] = 1;
        ExtraData parsed = ExtraData.parse(v2);
        assertEquals(BigInteger.valueOf(7).shiftLeft(248), parsed.contextId().orElseThrow());
        assertEquals(BigInteger.ONE, parsed.epochId().orElseThrow());
    }

    @Test
    void unknownVersionOrShortPayloadIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ExtraData.parse(new byte[] {3}));
        assertThrows(IllegalArgumentException.class, () -> ExtraData.parse(Arrays.copyOf(new byte[] {1}, 32)));
        assertThrows(IllegalArgumentException.class, () -> ExtraData.parse(Arrays.copyOf(new byte[] {2}, 64)));
    }

    @Test
    void loneZeroByteIsSentToTheKmsAsEmpty() {
        assertArrayEquals(new byte[0], ExtraData.forKmsDecryption(new byte[] {0}));
        assertArrayEquals(new byte[] {0, 0}, ExtraData.forKmsDecryption(new byte[] {0, 0}));
        assertArrayEquals(new byte[0], ExtraData.forKmsDecryption(new byte[0]));
    }
}
