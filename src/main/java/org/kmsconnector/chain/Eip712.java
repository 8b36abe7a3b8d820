package org.kmsconnector.chain;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * The few EIP-712 pieces the protocol needs (contracts.md §9), written out by hand so each hash
 * is visible: domain separator, final digest, the encodings of dynamic fields, the KMS response
 * structs, and 65-byte r‖s‖v signatures as OpenZeppelin's ECDSA.recover expects them.
 */
public final class Eip712 {
    public static final String DOMAIN_TYPE =
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";
    public static final String PUBLIC_DECRYPT_VERIFICATION_TYPE =
            "PublicDecryptVerification(bytes32[] ctHandles,bytes decryptedResult,bytes extraData)";
    public static final String USER_DECRYPT_RESPONSE_VERIFICATION_TYPE =
            "UserDecryptResponseVerification(bytes publicKey,bytes32[] ctHandles,bytes userDecryptedShare,bytes extraData)";
    public static final String PREP_KEYGEN_VERIFICATION_TYPE =
            "PrepKeygenVerification(uint256 prepKeygenId,bytes extraData)";
    public static final String KEY_DIGEST_TYPE = "KeyDigest(uint8 keyType,bytes digest)";
    public static final String KEYGEN_VERIFICATION_TYPE =
            "KeygenVerification(uint256 prepKeygenId,uint256 keyId,KeyDigest[] keyDigests,bytes extraData)"
                    + KEY_DIGEST_TYPE;
    public static final String CRSGEN_VERIFICATION_TYPE =
            "CrsgenVerification(uint256 crsId,uint256 maxBitLength,bytes crsDigest,bytes extraData)";
    /** The user's own signature on a unified (RFC016) user decryption; not the legacy struct of the same name. */
    public static final String USER_DECRYPT_REQUEST_VERIFICATION_TYPE =
            "UserDecryptRequestVerification(address userAddress,bytes publicKey,address[] allowedContracts,"
                    + "uint256 startTimestamp,uint256 durationSeconds,bytes extraData)";

    public static final byte[] DOMAIN_TYPEHASH = typeHash(DOMAIN_TYPE);
    public static final byte[] PUBLIC_DECRYPT_VERIFICATION_TYPEHASH = typeHash(PUBLIC_DECRYPT_VERIFICATION_TYPE);
    public static final byte[] USER_DECRYPT_RESPONSE_VERIFICATION_TYPEHASH =
            typeHash(USER_DECRYPT_RESPONSE_VERIFICATION_TYPE);
    public static final byte[] PREP_KEYGEN_VERIFICATION_TYPEHASH = typeHash(PREP_KEYGEN_VERIFICATION_TYPE);
    public static final byte[] USER_DECRYPT_REQUEST_VERIFICATION_TYPEHASH =
            typeHash(USER_DECRYPT_REQUEST_VERIFICATION_TYPE);
    public static final byte[] KEY_DIGEST_TYPEHASH = typeHash(KEY_DIGEST_TYPE);
    public static final byte[] KEYGEN_VERIFICATION_TYPEHASH = typeHash(KEYGEN_VERIFICATION_TYPE);
    public static final byte[] CRSGEN_VERIFICATION_TYPEHASH = typeHash(CRSGEN_VERIFICATION_TYPE);

    private Eip712() {}

    public static byte[] typeHash(String typeString) {
        return Hash.sha3(typeString.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] domainSeparator(String name, String version, long chainId, String verifyingContract) {
        return domainSeparator(name, version, BigInteger.valueOf(chainId), verifyingContract);
    }

    /** Same, for chain ids that arrive as 32-byte integers (the gRPC domain message). */
    public static byte[] domainSeparator(String name, String version, BigInteger chainId, String verifyingContract) {
        return Hash.sha3(concat(
                DOMAIN_TYPEHASH,
                hashString(name),
                hashString(version),
                Uint256.toBigEndian(chainId),
                addressWord(verifyingContract)));
    }

    /** keccak256(0x19 0x01 ‖ domainSeparator ‖ structHash). */
    public static byte[] digest(byte[] domainSeparator, byte[] structHash) {
        requireWord(domainSeparator, "domain separator");
        requireWord(structHash, "struct hash");
        return Hash.sha3(concat(new byte[] {0x19, 0x01}, domainSeparator, structHash));
    }

    public static byte[] hashString(String value) {
        return Hash.sha3(value.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] hashBytes(byte[] value) {
        return Hash.sha3(value);
    }

    /** bytes32[]: keccak of the concatenated words; every element must be exactly 32 bytes. */
    public static byte[] hashBytes32Array(List<byte[]> words) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * words.size());
        for (byte[] w : words) {
            requireWord(w, "bytes32 element");
            out.writeBytes(w);
        }
        return Hash.sha3(out.toByteArray());
    }

    /** address[]: keccak of the concatenated left-padded addresses. */
    public static byte[] hashAddressArray(List<String> addresses) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * addresses.size());
        for (String a : addresses) {
            out.writeBytes(addressWord(a));
        }
        return Hash.sha3(out.toByteArray());
    }

    public static byte[] uintWord(BigInteger value) {
        return Uint256.toBigEndian(value);
    }

    /** An address as a 32-byte word (12 zero bytes, then the 20 address bytes). */
    public static byte[] addressWord(String address) {
        byte[] raw = Hex.decode(address);
        if (raw.length != 20) {
            throw new IllegalArgumentException("an address is 20 bytes, got " + raw.length);
        }
        byte[] word = new byte[32];
        System.arraycopy(raw, 0, word, 12, 20);
        return word;
    }

    public static byte[] publicDecryptStructHash(List<byte[]> ctHandles, byte[] decryptedResult, byte[] extraData) {
        return Hash.sha3(concat(
                PUBLIC_DECRYPT_VERIFICATION_TYPEHASH,
                hashBytes32Array(ctHandles),
                hashBytes(decryptedResult),
                hashBytes(extraData)));
    }

    public static byte[] userDecryptResponseStructHash(
            byte[] publicKey, List<byte[]> ctHandles, byte[] userDecryptedShare, byte[] extraData) {
        return Hash.sha3(concat(
                USER_DECRYPT_RESPONSE_VERIFICATION_TYPEHASH,
                hashBytes(publicKey),
                hashBytes32Array(ctHandles),
                hashBytes(userDecryptedShare),
                hashBytes(extraData)));
    }

    public static byte[] prepKeygenStructHash(BigInteger prepKeygenId, byte[] extraData) {
        return Hash.sha3(concat(PREP_KEYGEN_VERIFICATION_TYPEHASH, uintWord(prepKeygenId), hashBytes(extraData)));
    }

    /** KeyDigest[]: keccak of each element's struct hash, concatenated in the array's order. */
    public static byte[] keygenStructHash(BigInteger prepKeygenId, BigInteger keyId, List<KeyDigest> keyDigests,
            byte[] extraData) {
        ByteArrayOutputStream digests = new ByteArrayOutputStream(32 * keyDigests.size());
        for (KeyDigest d : keyDigests) {
            digests.writeBytes(Hash.sha3(concat(KEY_DIGEST_TYPEHASH,
                    uintWord(BigInteger.valueOf(d.type().onChain())), hashBytes(d.digest()))));
        }
        return Hash.sha3(concat(KEYGEN_VERIFICATION_TYPEHASH, uintWord(prepKeygenId), uintWord(keyId),
                Hash.sha3(digests.toByteArray()), hashBytes(extraData)));
    }

    public static byte[] crsgenStructHash(BigInteger crsId, BigInteger maxBitLength, byte[] crsDigest,
            byte[] extraData) {
        return Hash.sha3(concat(CRSGEN_VERIFICATION_TYPEHASH, uintWord(crsId), uintWord(maxBitLength),
                hashBytes(crsDigest), hashBytes(extraData)));
    }

    /** The unified user decryption request the user signs (contracts.md §9.3), checked by the connector. */
    public static byte[] userDecryptRequestStructHash(String userAddress, byte[] publicKey,
            List<String> allowedContracts, BigInteger startTimestamp, BigInteger durationSeconds, byte[] extraData) {
        return Hash.sha3(concat(
                USER_DECRYPT_REQUEST_VERIFICATION_TYPEHASH,
                addressWord(userAddress),
                hashBytes(publicKey),
                hashAddressArray(allowedContracts),
                uintWord(startTimestamp),
                uintWord(durationSeconds),
                hashBytes(extraData)));
    }

    /**
     * Signs a 32-byte digest as is (no Ethereum message prefix). web3j's ECKeyPair signs
     * deterministically (RFC 6979) and normalises s to the lower half, which OpenZeppelin requires.
     */
    public static byte[] sign(byte[] digest, ECKeyPair key) {
        requireWord(digest, "digest");
        Sign.SignatureData sig = Sign.signMessage(digest, key, false);
        byte[] out = new byte[65];
        System.arraycopy(sig.getR(), 0, out, 0, 32);
        System.arraycopy(sig.getS(), 0, out, 32, 32);
        out[64] = sig.getV()[0];
        return out;
    }

    /** The EIP-55 checksummed 0x address that produced {@code sig65} over {@code digest}. */
    public static String recover(byte[] digest, byte[] sig65) {
        requireWord(digest, "digest");
        if (sig65 == null || sig65.length != 65) {
            throw new IllegalArgumentException("a signature is 65 bytes r‖s‖v");
        }
        int v = sig65[64] & 0xff;
        if (v < 27) {
            v += 27; // some signers emit 0/1
        }
        if (v != 27 && v != 28) {
            throw new IllegalArgumentException("signature v must be 27 or 28, got " + v);
        }
        Sign.SignatureData data = new Sign.SignatureData(
                (byte) v, Arrays.copyOfRange(sig65, 0, 32), Arrays.copyOfRange(sig65, 32, 64));
        try {
            BigInteger publicKey = Sign.signedMessageHashToKey(digest, data);
            return Keys.toChecksumAddress(Keys.getAddress(publicKey));
        } catch (java.security.SignatureException e) {
            throw new IllegalArgumentException("signature does not recover: " + e.getMessage(), e);
        }
    }

    private static void requireWord(byte[] b, String what) {
        if (b == null || b.length != 32) {
            throw new IllegalArgumentException(what + " must be 32 bytes");
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
