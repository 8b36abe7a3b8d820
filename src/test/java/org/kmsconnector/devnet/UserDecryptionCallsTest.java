package org.kmsconnector.devnet;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Eip712;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.Uint256;
import org.web3j.abi.FunctionEncoder;
import org.web3j.crypto.Credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The request calls carry the Gateway's real selectors and the type hashes of contracts.md §9.3. */
class UserDecryptionCallsTest {
    private static final UserDecryptionCalls.Domain DOMAIN =
            new UserDecryptionCalls.Domain("Decryption", "1", 12345, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    private static final Credentials USER = DevAccounts.USER;
    private static final String CONTRACT = "0x00000000000000000000000000000000000c0ffe";

    @Test
    void callsUseTheRealSelectors() {
        List<byte[]> handles = List.of(CiphertextPublisher.handle(new byte[21], 0, 12345, 5, 0));
        assertEquals("0xf1b57adb", selector(FunctionEncoder.encode(UserDecryptionCalls.legacy(DOMAIN, USER, handles,
                CONTRACT, 1, 1, new byte[] {1}, new byte[0]))));
        assertEquals("0x9fad5a2f", selector(FunctionEncoder.encode(UserDecryptionCalls.delegated(DOMAIN,
                DevAccounts.DEPLOYER.getAddress(), USER, handles, CONTRACT, 1, 1, new byte[] {1}, new byte[0]))));
        assertEquals("0xb4de2c37", selector(FunctionEncoder.encode(UserDecryptionCalls.unified(DOMAIN, USER,
                List.of(new UserDecryptionCalls.Entry(handles.get(0), CONTRACT, USER.getAddress())), List.of(),
                1, 1, new byte[] {1}, new byte[0]))));
    }

    @Test
    void typeHashesAreTheContractsOnes() {
        assertEquals("4ee965201c2f6fd39bb37401a5de0ea2362ef4db8199c112ec67d694006e114e",
                Hex.encode(Eip712.typeHash(UserDecryptionCalls.UNIFIED_REQUEST_TYPE)));
        assertEquals("9bf1f2b06a0ed501e5fa5a12ba3f9fbc1343c988847fb585c29c59ada4b71ab5",
                Hex.encode(Eip712.typeHash(UserDecryptionCalls.LEGACY_REQUEST_TYPE)));
        assertEquals("c93bc1d3fd0d779bf2a605403200af965b7571bbaf3401ffb5174398fbddac45",
                Hex.encode(Eip712.typeHash(UserDecryptionCalls.DELEGATED_REQUEST_TYPE)));
    }

    @Test
    void theUnifiedSignatureRecoversToTheUserUnderTheHostChainDomain() {
        byte[] extra = Hex.decode("01" + Hex.encode(Uint256.toBigEndian(java.math.BigInteger.TEN)));
        byte[] sig = UserDecryptionCalls.unifiedSignature(DOMAIN, USER, List.of(CONTRACT), 100, 200, new byte[] {9},
                extra);
        byte[] digest = UserDecryptionCalls.unifiedDigest(DOMAIN, USER.getAddress(), List.of(CONTRACT), 100, 200,
                new byte[] {9}, extra);
        assertEquals(USER.getAddress().toLowerCase(), Eip712.recover(digest, sig).toLowerCase());
    }

    private static String selector(String calldata) {
        return calldata.substring(0, 10);
    }
}
