package org.kmsconnector.worker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.testsupport.UsesRealParts;

@UsesRealParts
class LegacyRequestCalldataTest {
    private static final String C1 = "0x" + "c1".repeat(20);
    private static final String C2 = "0x" + "c2".repeat(20);
    private static final String USER = "0x" + "aa".repeat(20);
    private static final String DELEGATOR = "0x" + "dd".repeat(20);

    @Test
    void selectorsAreTheRealOnes() {
        assertEquals("0x9fad5a2f", LegacyCalls.selector(LegacyCalls.DELEGATED_SIGNATURE));
        assertEquals("0xf1b57adb", LegacyCalls.selector(LegacyCalls.DIRECT_SIGNATURE));
        assertEquals("9fad5a2f", Hex.encode(LegacyRequestCalldata.DELEGATED_SELECTOR));
        assertEquals("f1b57adb", Hex.encode(LegacyRequestCalldata.DIRECT_SELECTOR));
    }

    @Test
    void directRequestGivesEveryPairAndNoDelegator() {
        Map<Handle, String> pairs = pairs();
        LegacyRequestCalldata d = LegacyRequestCalldata.decode(Hex.decode(LegacyCalls.direct(pairs, USER, 12345)))
                .orElseThrow();
        assertFalse(d.delegated());
        pairs.forEach((h, c) -> assertEquals(Optional.of(c), d.contractOf(h.bytes())));
        assertEquals(Optional.empty(), d.contractOf(AuthFixture.handle().bytes()));
    }

    @Test
    void delegatedRequestGivesThePairsAndTheDelegator() {
        Map<Handle, String> pairs = pairs();
        LegacyRequestCalldata d = LegacyRequestCalldata.decode(
                Hex.decode(LegacyCalls.delegated(pairs, DELEGATOR, USER, 12345))).orElseThrow();
        assertEquals(Optional.of(DELEGATOR), d.delegator());
        pairs.forEach((h, c) -> assertEquals(Optional.of(c), d.contractOf(h.bytes())));
    }

    @Test
    void otherCalldataDecodesAsNeither() {
        byte[] good = Hex.decode(LegacyCalls.direct(pairs(), USER, 12345));
        assertTrue(LegacyRequestCalldata.decode(new byte[0]).isEmpty());
        assertTrue(LegacyRequestCalldata.decode(Hex.decode("d8998f45" + "00".repeat(64))).isEmpty(), "public request");
        assertTrue(LegacyRequestCalldata.decode(Arrays.copyOf(good, good.length - 40)).isEmpty(), "truncated");

        byte[] wrongSelector = good.clone();
        System.arraycopy(LegacyRequestCalldata.DELEGATED_SELECTOR, 0, wrongSelector, 0, 4);
        assertTrue(LegacyRequestCalldata.decode(wrongSelector).isEmpty(), "direct arguments under the delegated selector");

        byte[] hugeOffset = good.clone();
        Arrays.fill(hugeOffset, 4, 36, (byte) 0x7f);
        assertTrue(LegacyRequestCalldata.decode(hugeOffset).isEmpty(), "offset beyond the calldata");

        byte[] dirtyAddress = good.clone();
        dirtyAddress[4 + 4 * 32] = 1; // upper bytes of the userAddress word
        assertTrue(LegacyRequestCalldata.decode(dirtyAddress).isEmpty(), "address with dirty upper bytes");
    }

    private static Map<Handle, String> pairs() {
        Map<Handle, String> pairs = new LinkedHashMap<>();
        pairs.put(AuthFixture.handle(), C1);
        pairs.put(AuthFixture.handle(), C2);
        pairs.put(AuthFixture.handle(), C1);
        return pairs;
    }
}
