package org.kmsconnector.devnet;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.worker.ciphertext.Attestation;
import org.kmsconnector.worker.ciphertext.CiphertextFormat;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * Plays a coprocessor for tests and the demo: makes handles, signs RFC-023 attestations and
 * stores ciphertexts in a bucket under {@code ct128/<handle>/1} with the attestation as object
 * metadata. Plain unsigned HTTP PUTs, which S3Mock (and public test buckets) accept.
 */
public final class CiphertextPublisher {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private CiphertextPublisher() {}

    /** A handle: hash[0..21) ‖ index ‖ host chain id (u64 BE) ‖ FHE type ‖ version. */
    public static byte[] handle(byte[] hash21, int index, long hostChainId, int fheType, int version) {
        if (hash21.length != 21) {
            throw new IllegalArgumentException("the hash part of a handle is 21 bytes");
        }
        return ByteBuffer.allocate(32).put(hash21).put((byte) index).putLong(hostChainId)
                .put((byte) fheType).put((byte) version).array();
    }

    /** Stores {@code body} with an honest attestation signed by {@code signer}. */
    public static void publish(String bucketUrl, byte[] handle, byte[] body, ECKeyPair signer, BigInteger keyId,
            int format) throws IOException {
        publish(bucketUrl, handle, body, attest(handle, Hash.sha3(body), signer, keyId, format));
    }

    /** Stores {@code body} with any attestation, e.g. one with a wrong digest or a forged signer. */
    public static void publish(String bucketUrl, byte[] handle, byte[] body, Attestation attestation)
            throws IOException {
        HttpRequest put = HttpRequest.newBuilder(URI.create(objectUrl(bucketUrl, handle)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/octet-stream")
                .header(Attestation.HEADER, attestation.toJson())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<String> r = HTTP.send(put, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IOException("PUT " + put.uri() + " answered " + r.statusCode() + ": " + r.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while storing " + put.uri(), e);
        }
    }

    /**
     * An attestation of {@code snsDigest} for {@code handle}, signed by {@code signer}. The dev
     * coprocessor has no separate ciphertext, so it attests the same digest twice.
     */
    public static Attestation attest(byte[] handle, byte[] snsDigest, ECKeyPair signer, BigInteger keyId, int format) {
        Attestation unsigned = new Attestation(Attestation.VERSION, keyId, snsDigest, snsDigest,
                CiphertextFormat.ofCode(format), address(signer), new byte[65]);
        return withSignature(unsigned, sign(unsigned.canonicalMessage(handle), signer));
    }

    /** 65-byte r ‖ s ‖ v (27/28) signature of keccak256(message), no prefix. */
    public static byte[] sign(byte[] message, ECKeyPair key) {
        Sign.SignatureData sig = Sign.signMessage(message, key, true);
        return ByteBuffer.allocate(65).put(sig.getR()).put(sig.getS()).put(sig.getV()).array();
    }

    public static Attestation withSignature(Attestation a, byte[] signature) {
        return new Attestation(a.version(), a.keyId(), a.ciphertextDigest(), a.snsCiphertextDigest(), a.format(),
                a.signer(), signature);
    }

    public static String address(ECKeyPair key) {
        return "0x" + Keys.getAddress(key.getPublicKey());
    }

    public static String objectUrl(String bucketUrl, byte[] handle) {
        return bucketUrl + "/ct128/" + Hex.encode(handle) + "/" + Attestation.COPROCESSOR_CONTEXT_ID;
    }
}
