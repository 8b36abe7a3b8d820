package org.kmsconnector.worker.ciphertext;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Locale;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * A coprocessor's signed statement about the ciphertext stored for one handle (RFC-023), as
 * carried in the {@code x-amz-meta-ct-attestation} object metadata.
 *
 * @param signer lower-case 0x address the attestation claims to be signed by
 * @param signature 65 bytes r ‖ s ‖ v (v as 27/28 or 0/1)
 */
public record Attestation(int version, BigInteger keyId, byte[] ciphertextDigest, byte[] snsCiphertextDigest,
        CiphertextFormat format, String signer, byte[] signature) {

    public static final String HEADER = "x-amz-meta-ct-attestation";
    /** The only attestation version this connector understands. */
    public static final int VERSION = 1;
    /** Coprocessor context id: fixed to 1 by the protocol for now (object key and signed message). */
    public static final int COPROCESSOR_CONTEXT_ID = 1;
    public static final int CANONICAL_LENGTH = 170;

    private static final byte[] DOMAIN = "FHEVMCTA".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    public Attestation {
        if (version < 0 || version > 255) {
            throw new IllegalArgumentException("version is a u8, got " + version);
        }
        Uint256.toBigEndian(keyId); // range check
        requireLength("ciphertext_digest", ciphertextDigest, 32);
        requireLength("sns_ciphertext_digest", snsCiphertextDigest, 32);
        if (format == null) {
            throw new IllegalArgumentException("format is missing");
        }
        requireLength("signer", Hex.decode(signer), 20);
        signer = signer.toLowerCase(Locale.ROOT);
        requireLength("signature", signature, 65);
    }

    /** Parses the header value; a malformed attestation is an IllegalArgumentException. */
    public static Attestation parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("attestation is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("attestation is not a JSON object");
        }
        return new Attestation(
                field(root, "version").asInt(-1),
                keyId(field(root, "key_id")),
                Hex.decode(field(root, "ciphertext_digest").asText()),
                Hex.decode(field(root, "sns_ciphertext_digest").asText()),
                format(field(root, "format")),
                prefixed(field(root, "signer").asText()),
                Hex.decode(field(root, "signature").asText()));
    }

    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("version", version);
        node.put("key_id", "0x" + keyId.toString(16));
        node.put("ciphertext_digest", Hex.prefixed(ciphertextDigest));
        node.put("sns_ciphertext_digest", Hex.prefixed(snsCiphertextDigest));
        node.put("format", format.jsonName());
        node.put("signer", signer);
        node.put("signature", Hex.prefixed(signature));
        return node.toString();
    }

    /**
     * "FHEVMCTA" ‖ version ‖ handle ‖ key_id ‖ context id ‖ ciphertext_digest ‖
     * sns_ciphertext_digest ‖ format: the bytes whose keccak256 the coprocessor signs. Binding
     * the handle means an attestation cannot be replayed for another object.
     */
    public byte[] canonicalMessage(byte[] handle) {
        requireLength("handle", handle, 32);
        return ByteBuffer.allocate(CANONICAL_LENGTH)
                .put(DOMAIN)
                .put((byte) version)
                .put(handle)
                .put(Uint256.toBigEndian(keyId))
                .put(Uint256.toBigEndian(BigInteger.valueOf(COPROCESSOR_CONTEXT_ID)))
                .put(ciphertextDigest)
                .put(snsCiphertextDigest)
                .put((byte) format.code())
                .array();
    }

    /** True when the signature, recovered on the raw keccak of the canonical message, is {@link #signer}. */
    public boolean signedBy(byte[] handle) {
        byte[] hash = Hash.sha3(canonicalMessage(handle));
        byte v = signature[64];
        if (v == 0 || v == 1) {
            v += 27; // web3j expects the Ethereum 27/28 form
        }
        Sign.SignatureData sig = new Sign.SignatureData(v,
                Arrays.copyOfRange(signature, 0, 32), Arrays.copyOfRange(signature, 32, 64));
        try {
            BigInteger publicKey = Sign.signedMessageHashToKey(hash, sig);
            return ("0x" + Keys.getAddress(publicKey)).equals(signer);
        } catch (SignatureException | IllegalArgumentException e) {
            return false;
        }
    }

    /** What coprocessors must agree on; the grouping key of the consensus. */
    public Material material() {
        return new Material(keyId, Hex.encode(ciphertextDigest), Hex.encode(snsCiphertextDigest), format.code());
    }

    /**
     * Attested material, comparable so that ties between equally large groups are broken the
     * same way everywhere (smaller tuple wins). Digests are lower-case hex of fixed length, so
     * string order is byte order.
     */
    public record Material(BigInteger keyId, String ciphertextDigest, String snsCiphertextDigest, int format)
            implements Comparable<Material> {
        @Override
        public int compareTo(Material o) {
            int c = keyId.compareTo(o.keyId);
            if (c == 0) {
                c = ciphertextDigest.compareTo(o.ciphertextDigest);
            }
            if (c == 0) {
                c = snsCiphertextDigest.compareTo(o.snsCiphertextDigest);
            }
            return c != 0 ? c : Integer.compare(format, o.format);
        }

        public byte[] snsDigestBytes() {
            return Hex.decode(snsCiphertextDigest);
        }
    }

    private static JsonNode field(JsonNode root, String name) {
        JsonNode v = root.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("attestation field " + name + " is missing");
        }
        return v;
    }

    /** U256 serde form (0x hex), but also a decimal string or a plain JSON number. */
    private static BigInteger keyId(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue();
        }
        String s = node.asText().trim();
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return new BigInteger(s.substring(2), 16);
            }
            return new BigInteger(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("key_id is not a number: " + s);
        }
    }

    private static CiphertextFormat format(JsonNode node) {
        if (node.isIntegralNumber()) {
            return CiphertextFormat.ofCode(node.asInt());
        }
        return CiphertextFormat.ofJsonName(node.asText());
    }

    private static String prefixed(String address) {
        return address.startsWith("0x") || address.startsWith("0X") ? address : "0x" + address;
    }

    private static void requireLength(String what, byte[] bytes, int length) {
        if (bytes == null || bytes.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes");
        }
    }
}
