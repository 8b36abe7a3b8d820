package org.kmsconnector.devnet;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.chain.AbiReader;
import org.kmsconnector.chain.Eip712;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;

/**
 * What a user's client does with the shares of a user decryption: it reads the
 * UserDecryptionResponse events, checks that each share is signed by a KMS signer under the
 * Decryption domain over its own public key and handles, reads the share (bincode) and
 * "unsigncrypts" each ciphertext, which for the KMS Core double means finding
 * keccak(publicKey ‖ ciphertext) for the right handle and type.
 */
public final class UserShareCheck {
    static final String USER_DECRYPTION_RESPONSE = Hash.sha3String(
            "UserDecryptionResponse(uint256,uint256,bytes,bytes,bytes)");

    /** One KMS node's answer as the event carries it. */
    public record Response(byte[] share, byte[] signature, byte[] extraData) {}

    private final DevChain gateway;
    private final long gatewayChainId;
    private final String decryption;
    private final String kmsSigner;

    public UserShareCheck(DevChain gateway, long gatewayChainId, String decryption, String kmsSigner) {
        this.gateway = gateway;
        this.gatewayChainId = gatewayChainId;
        this.decryption = decryption;
        this.kmsSigner = kmsSigner;
    }

    public List<Response> responses(BigInteger decryptionId) throws IOException {
        List<Log> logs = gateway.logs(decryption, USER_DECRYPTION_RESPONSE,
                Hex.prefixed(Uint256.toBigEndian(decryptionId)));
        List<Response> out = new ArrayList<>();
        for (Log log : logs) {
            AbiReader data = AbiReader.ofHex(log.getData()); // (indexShare, share, signature, extraData)
            out.add(new Response(data.bytes(1), data.bytes(2), data.bytes(3)));
        }
        return out;
    }

    /** Why the client would reject the share; empty when it accepts it. */
    public Optional<String> problem(Response response, byte[] publicKey, List<LocalPipeline.Ciphertext> cts) {
        List<byte[]> handles = cts.stream().map(LocalPipeline.Ciphertext::handle).toList();
        byte[] digest = Eip712.digest(Eip712.domainSeparator("Decryption", "1", gatewayChainId, decryption),
                Eip712.userDecryptResponseStructHash(publicKey, handles, response.share(), response.extraData()));
        String signer;
        try {
            signer = Eip712.recover(digest, response.signature());
        } catch (IllegalArgumentException e) {
            return Optional.of("the signature does not recover: " + e.getMessage());
        }
        if (!signer.equalsIgnoreCase(kmsSigner)) {
            return Optional.of("signed by " + signer + ", not the KMS signer " + kmsSigner);
        }
        List<Signcrypted> parts;
        try {
            parts = read(response.share());
        } catch (RuntimeException e) {
            return Optional.of("the share does not decode: " + e);
        }
        for (LocalPipeline.Ciphertext ct : cts) {
            byte[] expected = Hash.sha3(concat(publicKey, ct.body()));
            boolean found = parts.stream().anyMatch(p -> Arrays.equals(p.handle(), ct.handle())
                    && p.fheType() == ct.fheType() && Arrays.equals(p.ciphertext(), expected));
            if (!found) {
                return Optional.of("no share of handle " + Hex.prefixed(ct.handle()) + " for this public key");
            }
        }
        return Optional.empty();
    }

    private record Signcrypted(int fheType, byte[] ciphertext, byte[] handle) {}

    /** UserDecryptionResponsePayload in bincode: little-endian, u64 lengths, fields in order. */
    private static List<Signcrypted> read(byte[] share) {
        ByteBuffer in = ByteBuffer.wrap(share).order(ByteOrder.LITTLE_ENDIAN);
        bytes(in); // verification_key
        bytes(in); // digest
        long count = in.getLong();
        List<Signcrypted> out = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            int fheType = in.getInt();
            byte[] ciphertext = bytes(in);
            byte[] handle = bytes(in);
            in.getInt(); // packing_factor
            out.add(new Signcrypted(fheType, ciphertext, handle));
        }
        in.getInt(); // party_id
        in.getInt(); // degree
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " bytes after the payload");
        }
        return out;
    }

    private static byte[] bytes(ByteBuffer in) {
        long length = in.getLong();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("a length of " + length + " overruns the share");
        }
        byte[] out = new byte[(int) length];
        in.get(out);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
