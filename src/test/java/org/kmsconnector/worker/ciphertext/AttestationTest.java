package org.kmsconnector.worker.ciphertext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.devnet.CiphertextPublisher;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;

class AttestationTest {
    private static final ECKeyPair KEY = ECKeyPair.create(new BigInteger(
            "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", 16));
    private static final byte[] HANDLE = CiphertextPublisher.handle(new byte[21], 7, 12345, 5, 0);

    @Test
    void keccakOfKnownInput() {
        assertEquals("47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad",
                Hex.encode(Hash.sha3("hello world".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void canonicalMessageHasTheRfc023Layout() {
        byte[] digest = Hash.sha3(new byte[] {1});
        Attestation a = CiphertextPublisher.attest(HANDLE, digest, KEY, BigInteger.valueOf(0x1234), 11);
        byte[] m = a.canonicalMessage(HANDLE);
        assertEquals(170, m.length);
        assertEquals("FHEVMCTA", new String(m, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(1, m[8]);
        assertArrayEquals(HANDLE, Arrays.copyOfRange(m, 9, 41));
        assertEquals(BigInteger.valueOf(0x1234), new BigInteger(1, Arrays.copyOfRange(m, 41, 73)));
        assertEquals(BigInteger.ONE, new BigInteger(1, Arrays.copyOfRange(m, 73, 105)), "coprocessor context id");
        assertArrayEquals(digest, Arrays.copyOfRange(m, 105, 137));
        assertArrayEquals(digest, Arrays.copyOfRange(m, 137, 169));
        assertEquals(11, m[169]);
    }

    @Test
    void jsonRoundTripKeepsAValidSignature() {
        Attestation a = CiphertextPublisher.attest(HANDLE, Hash.sha3(new byte[] {2}), KEY, BigInteger.ZERO, 21);
        Attestation back = Attestation.parse(a.toJson());
        assertEquals("0x70997970c51812dc3a010c7d01b50e0d17dc79c8", back.signer());
        assertEquals(CiphertextFormat.COMPRESSED_ON_GPU, back.format());
        assertEquals(BigInteger.ZERO, back.keyId());
        assertTrue(back.signedBy(HANDLE));
    }

    @Test
    void signatureIsBoundToTheHandleAndTheMaterial() {
        Attestation a = CiphertextPublisher.attest(HANDLE, Hash.sha3(new byte[] {3}), KEY, BigInteger.TEN, 10);
        byte[] other = HANDLE.clone();
        other[0] ^= 1;
        assertFalse(a.signedBy(other));
        Attestation otherKey = new Attestation(1, BigInteger.ONE, a.ciphertextDigest(), a.snsCiphertextDigest(),
                a.format(), a.signer(), a.signature());
        assertFalse(otherKey.signedBy(HANDLE));
        Attestation garbage = CiphertextPublisher.withSignature(a, new byte[65]);
        assertFalse(garbage.signedBy(HANDLE));
    }

    @Test
    void acceptsZeroOneRecoveryIdAsWellAs27And28() {
        Attestation a = CiphertextPublisher.attest(HANDLE, Hash.sha3(new byte[] {4}), KEY, BigInteger.TEN, 10);
        byte[] sig = a.signature().clone();
        sig[64] -= 27;
        assertTrue(CiphertextPublisher.withSignature(a, sig).signedBy(HANDLE));
    }

    @Test
    void keyIdAndFormatAcceptTheAlternativeForms() {
        String digest = Hex.prefixed(new byte[32]);
        String base = "{\"version\":1,\"ciphertext_digest\":\"" + digest + "\",\"sns_ciphertext_digest\":\"" + digest
                + "\",\"signer\":\"0x70997970C51812dc3A010C7d01b50e0d17dc79C8\",\"signature\":\"" + Hex.prefixed(new byte[65])
                + "\",";
        assertEquals(BigInteger.valueOf(255),
                Attestation.parse(base + "\"key_id\":\"0xff\",\"format\":\"uncompressed_on_cpu\"}").keyId());
        assertEquals(BigInteger.valueOf(255), Attestation.parse(base + "\"key_id\":\"255\",\"format\":11}").keyId());
        Attestation n = Attestation.parse(base + "\"key_id\":255,\"format\":20}");
        assertEquals(BigInteger.valueOf(255), n.keyId());
        assertEquals(CiphertextFormat.UNCOMPRESSED_ON_GPU, n.format());
        assertEquals("0x70997970c51812dc3a010c7d01b50e0d17dc79c8", n.signer());
        assertThrows(IllegalArgumentException.class,
                () -> Attestation.parse(base + "\"key_id\":1,\"format\":\"compressed_on_tpu\"}"));
        assertThrows(IllegalArgumentException.class, () -> Attestation.parse(base + "\"format\":11}"));
        assertThrows(IllegalArgumentException.class, () -> Attestation.parse("not json"));
    }
}
