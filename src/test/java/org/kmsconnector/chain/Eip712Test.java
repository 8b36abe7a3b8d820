package org.kmsconnector.chain;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Eip712Test {
    private static final String DECRYPTION = "0xC1A5B2d3e4F5a6b7C8d9E0f1A2b3C4d5E6f7A8b9";

    @Test
    void typeHashesMatchTheContracts() {
        assertEquals("0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f",
                Hex.prefixed(Eip712.DOMAIN_TYPEHASH));
        assertEquals("0x89bac15e5ba205584832145601e359431e80fb9fb331ba5a22058132d525c794",
                Hex.prefixed(Eip712.PUBLIC_DECRYPT_VERIFICATION_TYPEHASH));
        assertEquals("0x2c4b1a55fe4090104eb889f0e48d4cf11c7cc4b95cf47117b9f0008cbcc10f5f",
                Hex.prefixed(Eip712.USER_DECRYPT_RESPONSE_VERIFICATION_TYPEHASH));
        assertEquals("0x76e9aa7d78d48bc6c0bcdce52b7c722f8bce936a97a619baae97af05193c9c66",
                Hex.prefixed(Eip712.PREP_KEYGEN_VERIFICATION_TYPEHASH));
        assertEquals("0x4ee965201c2f6fd39bb37401a5de0ea2362ef4db8199c112ec67d694006e114e",
                Hex.prefixed(Eip712.USER_DECRYPT_REQUEST_VERIFICATION_TYPEHASH));
        assertEquals("0xddd108772e6a3899feb04d148ae915cbe3eb5ebd202688080399e9921ac3616b",
                Hex.prefixed(Eip712.KEY_DIGEST_TYPEHASH));
        assertEquals("0xbd14835bb4ae13c78ecb88ded2c3370325f39e6006eb94ff45e95f98e4c85a2a",
                Hex.prefixed(Eip712.KEYGEN_VERIFICATION_TYPEHASH));
        assertEquals("0xa264b318e95080300a3f06a6656a8e7fe24f9903f0e6bcca307efbe39c4c4e09",
                Hex.prefixed(Eip712.CRSGEN_VERIFICATION_TYPEHASH));
    }

    /** A nested struct array (KeyDigest[]) and two uint256: the same digest as web3j's encoder. */
    @Test
    void keygenDigestAgreesWithWeb3jEncoder() throws Exception {
        String kmsGeneration = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
        BigInteger prep = BigInteger.valueOf(3).shiftLeft(248).add(BigInteger.ONE);
        BigInteger key = BigInteger.valueOf(4).shiftLeft(248).add(BigInteger.ONE);
        byte[] extra = Hex.decode("02" + "00".repeat(31) + "07" + "00".repeat(31) + "08");
        byte[] ours = Eip712.digest(Eip712.domainSeparator("KMSGeneration", "1", 1, kmsGeneration),
                Eip712.keygenStructHash(prep, key, List.of(
                        new KeyDigest(KeyDigest.Type.CompressedKeySet, Hex.decode("aa")),
                        new KeyDigest(KeyDigest.Type.Public, Hex.decode("bbcc"))), extra));
        String json = """
                {"types":{
                  "EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
                                  {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
                  "KeyDigest":[{"name":"keyType","type":"uint8"},{"name":"digest","type":"bytes"}],
                  "KeygenVerification":[{"name":"prepKeygenId","type":"uint256"},{"name":"keyId","type":"uint256"},
                                  {"name":"keyDigests","type":"KeyDigest[]"},{"name":"extraData","type":"bytes"}]},
                 "primaryType":"KeygenVerification",
                 "domain":{"name":"KMSGeneration","version":"1","chainId":1,"verifyingContract":"%s"},
                 "message":{"prepKeygenId":"%s","keyId":"%s",
                            "keyDigests":[{"keyType":3,"digest":"0xaa"},{"keyType":1,"digest":"0xbbcc"}],
                            "extraData":"%s"}}
                """.formatted(kmsGeneration, prep, key, Hex.prefixed(extra));
        assertArrayEquals(new StructuredDataEncoder(json).hashStructuredData(), ours);
    }

    /** The worked example of the EIP-712 specification ("Ether Mail"), signed with keccak("cow"). */
    @Test
    void reproducesTheEip712SpecificationExample() {
        byte[] separator = Eip712.domainSeparator("Ether Mail", "1", 1, "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC");
        assertEquals("0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f", Hex.prefixed(separator));

        byte[] personType = Eip712.typeHash("Person(string name,address wallet)");
        byte[] mailType = Eip712.typeHash("Mail(Person from,Person to,string contents)Person(string name,address wallet)");
        byte[] from = Hash.sha3(cat(personType, Eip712.hashString("Cow"),
                Eip712.addressWord("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")));
        byte[] to = Hash.sha3(cat(personType, Eip712.hashString("Bob"),
                Eip712.addressWord("0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB")));
        byte[] mail = Hash.sha3(cat(mailType, from, to, Eip712.hashString("Hello, Bob!")));
        assertEquals("0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e", Hex.prefixed(mail));

        byte[] digest = Eip712.digest(separator, mail);
        assertEquals("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2", Hex.prefixed(digest));

        ECKeyPair cow = ECKeyPair.create(Hash.sha3("cow".getBytes(StandardCharsets.UTF_8)));
        byte[] sig = Eip712.sign(digest, cow);
        assertEquals("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d",
                Hex.prefixed(Arrays.copyOfRange(sig, 0, 32)));
        assertEquals("0x07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562",
                Hex.prefixed(Arrays.copyOfRange(sig, 32, 64)));
        assertEquals(28, sig[64]);
        assertEquals("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", Eip712.recover(digest, sig));
    }

    /** web3j's StructuredDataEncoder is an independent implementation: both must give the same digest. */
    @Test
    void publicDecryptDigestAgreesWithWeb3jEncoder() throws Exception {
        byte[] h1 = filled(0x11);
        byte[] h2 = filled(0x22);
        byte[] result = Hex.decode("00000000000000000000000000000000000000000000000000000000000000ff");
        byte[] extra = Hex.decode("01" + "00".repeat(31) + "07");

        byte[] ours = Eip712.digest(
                Eip712.domainSeparator("Decryption", "1", 54321, DECRYPTION),
                Eip712.publicDecryptStructHash(List.of(h1, h2), result, extra));

        String json = """
                {"types":{
                  "EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
                                  {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
                  "PublicDecryptVerification":[{"name":"ctHandles","type":"bytes32[]"},
                                  {"name":"decryptedResult","type":"bytes"},{"name":"extraData","type":"bytes"}]},
                 "primaryType":"PublicDecryptVerification",
                 "domain":{"name":"Decryption","version":"1","chainId":54321,"verifyingContract":"%s"},
                 "message":{"ctHandles":["%s","%s"],"decryptedResult":"%s","extraData":"%s"}}
                """.formatted(DECRYPTION, Hex.prefixed(h1), Hex.prefixed(h2), Hex.prefixed(result), Hex.prefixed(extra));
        assertArrayEquals(new StructuredDataEncoder(json).hashStructuredData(), ours);
    }

    @Test
    void userDecryptDigestAgreesWithWeb3jEncoder() throws Exception {
        byte[] key = Hex.decode("c0ffee");
        byte[] share = Hex.decode("0102030405");
        byte[] ours = Eip712.digest(
                Eip712.domainSeparator("Decryption", "1", 54321, DECRYPTION),
                Eip712.userDecryptResponseStructHash(key, List.of(filled(0x33)), share, new byte[0]));
        String json = """
                {"types":{
                  "EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
                                  {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
                  "UserDecryptResponseVerification":[{"name":"publicKey","type":"bytes"},
                                  {"name":"ctHandles","type":"bytes32[]"},{"name":"userDecryptedShare","type":"bytes"},
                                  {"name":"extraData","type":"bytes"}]},
                 "primaryType":"UserDecryptResponseVerification",
                 "domain":{"name":"Decryption","version":"1","chainId":54321,"verifyingContract":"%s"},
                 "message":{"publicKey":"0xc0ffee","ctHandles":["%s"],"userDecryptedShare":"0x0102030405","extraData":"0x"}}
                """.formatted(DECRYPTION, Hex.prefixed(filled(0x33)));
        assertArrayEquals(new StructuredDataEncoder(json).hashStructuredData(), ours);
    }

    /** The unified request a user signs: host chain id in the domain, addresses and two uint256 in the struct. */
    @Test
    void userDecryptRequestDigestAgreesWithWeb3jEncoder() throws Exception {
        String user = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
        String c1 = "0x" + "ab".repeat(20);
        String c2 = "0x" + "cd".repeat(20);
        byte[] extra = Hex.decode("02" + "00".repeat(31) + "01" + "08" + "00".repeat(30) + "01");
        byte[] ours = Eip712.digest(
                Eip712.domainSeparator("Decryption", "1", 12345, DECRYPTION),
                Eip712.userDecryptRequestStructHash(user, Hex.decode("c0ffee"), List.of(c1, c2),
                        BigInteger.valueOf(1_700_000_000L), BigInteger.valueOf(86_400), extra));
        String json = """
                {"types":{
                  "EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
                                  {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
                  "UserDecryptRequestVerification":[{"name":"userAddress","type":"address"},
                                  {"name":"publicKey","type":"bytes"},{"name":"allowedContracts","type":"address[]"},
                                  {"name":"startTimestamp","type":"uint256"},{"name":"durationSeconds","type":"uint256"},
                                  {"name":"extraData","type":"bytes"}]},
                 "primaryType":"UserDecryptRequestVerification",
                 "domain":{"name":"Decryption","version":"1","chainId":12345,"verifyingContract":"%s"},
                 "message":{"userAddress":"%s","publicKey":"0xc0ffee","allowedContracts":["%s","%s"],
                            "startTimestamp":1700000000,"durationSeconds":86400,"extraData":"%s"}}
                """.formatted(DECRYPTION, user, c1, c2, Hex.prefixed(extra));
        assertArrayEquals(new StructuredDataEncoder(json).hashStructuredData(), ours);
    }

    @Test
    void signaturesAreLowSAndRecover() {
        ECKeyPair key = ECKeyPair.create(BigInteger.valueOf(0xabcdefL));
        String address = "0x" + org.web3j.crypto.Keys.getAddress(key);
        BigInteger halfOrder = Sign.CURVE_PARAMS.getN().shiftRight(1);
        for (int i = 0; i < 32; i++) {
            byte[] digest = Hash.sha3(new byte[] {(byte) i});
            byte[] sig = Eip712.sign(digest, key);
            assertTrue(new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)).compareTo(halfOrder) <= 0);
            assertTrue(sig[64] == 27 || sig[64] == 28);
            assertEquals(address, Eip712.recover(digest, sig).toLowerCase());
        }
    }

    @Test
    void arrayEncodings() {
        assertArrayEquals(Hash.sha3(new byte[0]), Eip712.hashBytes32Array(List.of()));
        assertArrayEquals(Hash.sha3(cat(filled(1), filled(2))), Eip712.hashBytes32Array(List.of(filled(1), filled(2))));
        byte[] padded = new byte[32];
        Arrays.fill(padded, 12, 32, (byte) 0xaa);
        assertArrayEquals(Hash.sha3(padded), Eip712.hashAddressArray(List.of("0x" + "aa".repeat(20))));
        assertThrows(IllegalArgumentException.class, () -> Eip712.hashBytes32Array(List.of(new byte[31])));
        assertThrows(IllegalArgumentException.class, () -> Eip712.hashAddressArray(List.of("0x1234")));
        assertThrows(IllegalArgumentException.class, () -> Eip712.recover(new byte[32], new byte[64]));
    }

    static byte[] filled(int b) {
        byte[] out = new byte[32];
        Arrays.fill(out, (byte) b);
        return out;
    }

    private static byte[] cat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
