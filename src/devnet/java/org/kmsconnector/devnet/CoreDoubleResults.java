package org.kmsconnector.devnet;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.List;
import org.kmsconnector.chain.Eip712;
import org.kmsconnector.chain.KeyDigest;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.kms.v1.CrsGenRequest;
import org.kmsconnector.kms.v1.CrsGenResult;
import org.kmsconnector.kms.v1.CrsInfo;
import org.kmsconnector.kms.v1.Eip712DomainMsg;
import org.kmsconnector.kms.v1.EpochResultResponse;
import org.kmsconnector.kms.v1.KeyGenPreprocRequest;
import org.kmsconnector.kms.v1.KeyGenPreprocResult;
import org.kmsconnector.kms.v1.KeyGenRequest;
import org.kmsconnector.kms.v1.KeyGenResult;
import org.kmsconnector.kms.v1.KeyInfo;
import org.kmsconnector.kms.v1.NewMpcEpochRequest;
import org.kmsconnector.kms.v1.PublicDecryptionRequest;
import org.kmsconnector.kms.v1.PublicDecryptionResponse;
import org.kmsconnector.kms.v1.PublicDecryptionResponsePayload;
import org.kmsconnector.kms.v1.TypedCiphertext;
import org.kmsconnector.kms.v1.TypedPlaintext;
import org.kmsconnector.kms.v1.TypedSigncryptedCiphertext;
import org.kmsconnector.kms.v1.UserDecryptionRequest;
import org.kmsconnector.kms.v1.UserDecryptionResponse;
import org.kmsconnector.kms.v1.UserDecryptionResponsePayload;
import org.kmsconnector.worker.kms.DecryptionResults;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;

/**
 * What the double answers: a deterministic stand-in for decryption, and EIP-712 signatures made
 * the way the core makes them (request's domain, request's extra_data), so the contracts accept
 * them when the signer is registered.
 *
 * <p>Not reproduced, because nothing here can produce them faithfully: the internal
 * {@code signature} field (left empty; the connector ignores it), real signcryption (the
 * signcrypted bytes are keccak-based placeholders), and the core's own request digest.
 */
final class CoreDoubleResults {
    private final ECKeyPair signer;
    private final ByteString verificationKey;

    CoreDoubleResults(ECKeyPair signer) {
        this.signer = signer;
        // the signer's SEC1-compressed public key: opaque to the connector, but signed over in user shares
        this.verificationKey = ByteString.copyFrom(
                Sign.publicPointFromPrivate(signer.getPrivateKey()).getEncoded(true));
    }

    /** Bit width of each FHE type the double can "decrypt" (those that abi-encode as one word). */
    static int bitWidth(int fheType) {
        return switch (fheType) {
            case 0 -> 1;     // Bool
            case 2 -> 8;     // Uint8
            case 3 -> 16;
            case 4 -> 32;
            case 5 -> 64;
            case 6 -> 128;
            case 7 -> 160;   // eaddress
            case 8 -> 256;
            default -> throw new IllegalArgumentException("the double cannot decrypt FHE type " + fheType);
        };
    }

    static BigInteger expectedPlaintext(byte[] ciphertext, int fheType) {
        int bits = bitWidth(fheType);
        BigInteger h = new BigInteger(1, Hash.sha3(ciphertext));
        return h.mod(BigInteger.ONE.shiftLeft(bits));
    }

    /** Little-endian, one byte for Bool, else the type's byte width, as the core's plaintexts. */
    static byte[] littleEndian(BigInteger value, int fheType) {
        int bits = bitWidth(fheType);
        int len = bits == 1 ? 1 : bits / 8;
        byte[] be = Uint256.toBigEndian(value);
        byte[] le = new byte[len];
        for (int i = 0; i < len; i++) {
            le[i] = be[31 - i];
        }
        return le;
    }

    /** Throws IllegalArgumentException when a ciphertext has a type that cannot be decrypted publicly. */
    PublicDecryptionResponse publicDecryption(PublicDecryptionRequest req) {
        PublicDecryptionResponsePayload.Builder payload = PublicDecryptionResponsePayload.newBuilder()
                .setVerificationKey(verificationKey)
                .setRequestId(req.getRequestId());
        // built independently of the connector's abiEncodePlaintexts, so end-to-end tests compare two codes
        ByteArrayOutputStream decryptedResult = new ByteArrayOutputStream();
        for (TypedCiphertext ct : req.getCiphertextsList()) {
            BigInteger value = expectedPlaintext(ct.getCiphertext().toByteArray(), ct.getFheType());
            payload.addPlaintexts(TypedPlaintext.newBuilder()
                    .setBytes(ByteString.copyFrom(littleEndian(value, ct.getFheType())))
                    .setFheType(ct.getFheType()));
            decryptedResult.writeBytes(Uint256.toBigEndian(value));
        }
        byte[] extra = req.getExtraData().toByteArray();
        byte[] struct = Eip712.publicDecryptStructHash(handles(req.getCiphertextsList()),
                decryptedResult.toByteArray(), extra);
        return PublicDecryptionResponse.newBuilder()
                .setExternalSignature(sign(req.getDomain(), struct))
                .setPayload(payload)
                .setExtraData(req.getExtraData())
                .build();
    }

    UserDecryptionResponse userDecryption(UserDecryptionRequest req) {
        byte[] encKey = req.getEncKey().toByteArray();
        UserDecryptionResponsePayload.Builder payload = UserDecryptionResponsePayload.newBuilder()
                .setVerificationKey(verificationKey)
                .setDigest(ByteString.copyFrom(Hash.sha3(req.toByteArray())))
                .setPartyId(1)
                .setDegree(0);
        for (TypedCiphertext ct : req.getTypedCiphertextsList()) {
            byte[] placeholder = Hash.sha3(concat(encKey, ct.getCiphertext().toByteArray()));
            payload.addSigncryptedCiphertexts(TypedSigncryptedCiphertext.newBuilder()
                    .setFheType(ct.getFheType())
                    .setSigncryptedCiphertext(ByteString.copyFrom(placeholder))
                    .setExternalHandle(ct.getExternalHandle())
                    .setPackingFactor(1));
        }
        UserDecryptionResponsePayload built = payload.build();
        byte[] struct = Eip712.userDecryptResponseStructHash(encKey, handles(req.getTypedCiphertextsList()),
                DecryptionResults.bincodeUserPayload(built), req.getExtraData().toByteArray());
        return UserDecryptionResponse.newBuilder()
                .setExternalSignature(sign(req.getDomain(), struct))
                .setPayload(built)
                .setExtraData(req.getExtraData())
                .build();
    }

    /** Centralized preprocessing is a dummy in the real core too: it only signs the id. */
    KeyGenPreprocResult keyGenPreproc(KeyGenPreprocRequest req) {
        BigInteger id = new BigInteger(req.getRequestId().getRequestId(), 16);
        byte[] struct = Eip712.prepKeygenStructHash(id, req.getExtraData().toByteArray());
        return KeyGenPreprocResult.newBuilder()
                .setPreprocessingId(req.getRequestId())
                .setExternalSignature(sign(req.getDomain(), struct))
                .build();
    }

    /**
     * A key "generated" from its ids: one digest per key of a compressed XOF keyset (the
     * keyset and its public key), in a fixed order that the signature covers.
     */
    KeyGenResult keyGen(KeyGenRequest req) {
        BigInteger keyId = new BigInteger(req.getRequestId().getRequestId(), 16);
        BigInteger prepKeygenId = new BigInteger(req.getPreprocId().getRequestId(), 16);
        List<KeyDigest> digests = List.of(
                new KeyDigest(KeyDigest.Type.CompressedKeySet, fakeDigest("keyset", keyId)),
                new KeyDigest(KeyDigest.Type.Public, fakeDigest("public", keyId)));
        KeyGenResult.Builder result = KeyGenResult.newBuilder()
                .setRequestId(req.getRequestId())
                .setPreprocessingId(req.getPreprocId());
        for (KeyDigest d : digests) {
            result.addKeyDigests(org.kmsconnector.kms.v1.KeyDigest.newBuilder().setKeyType(d.type().kmsName())
                    .setDigest(ByteString.copyFrom(d.digest())));
        }
        byte[] struct = Eip712.keygenStructHash(prepKeygenId, keyId, digests, req.getExtraData().toByteArray());
        return result.setExternalSignature(sign(req.getDomain(), struct)).build();
    }

    CrsGenResult crsGen(CrsGenRequest req) {
        BigInteger crsId = new BigInteger(req.getRequestId().getRequestId(), 16);
        byte[] digest = fakeDigest("crs", crsId);
        byte[] struct = Eip712.crsgenStructHash(crsId, BigInteger.valueOf(Integer.toUnsignedLong(req.getMaxNumBits())),
                digest, req.getExtraData().toByteArray());
        return CrsGenResult.newBuilder()
                .setRequestId(req.getRequestId())
                .setCrsDigest(ByteString.copyFrom(digest))
                .setMaxNumBits(req.getMaxNumBits())
                .setExternalSignature(sign(req.getDomain(), struct))
                .build();
    }

    /**
     * A new epoch's resharing: every key and CRS of the previous epoch comes back with the
     * digests it had, signed anew under the request's domain (ProtocolConfig) and extra_data.
     *
     * @param maxBitsOf the max_num_bits of a CRS the double generated (by request id), 0 for others
     */
    EpochResultResponse epochResult(NewMpcEpochRequest req, java.util.function.ToIntFunction<String> maxBitsOf) {
        byte[] extra = req.getExtraData().toByteArray();
        EpochResultResponse.Builder out = EpochResultResponse.newBuilder();
        for (KeyInfo key : req.getPreviousEpoch().getKeysInfoList()) {
            List<KeyDigest> digests = key.getKeyDigestsList().stream().map(d -> new KeyDigest(
                    KeyDigest.Type.fromKms(d.getKeyType()), d.getDigest().toByteArray())).toList();
            byte[] struct = Eip712.keygenStructHash(new BigInteger(key.getPreprocId().getRequestId(), 16),
                    new BigInteger(key.getKeyId().getRequestId(), 16), digests, extra);
            out.addReshareResponses(KeyGenResult.newBuilder()
                    .setRequestId(key.getKeyId())
                    .setPreprocessingId(key.getPreprocId())
                    .addAllKeyDigests(key.getKeyDigestsList())
                    .setExternalSignature(sign(req.getDomain(), struct)));
        }
        for (CrsInfo crs : req.getPreviousEpoch().getCrsInfoList()) {
            int maxBits = maxBitsOf.applyAsInt(crs.getCrsId().getRequestId());
            byte[] struct = Eip712.crsgenStructHash(new BigInteger(crs.getCrsId().getRequestId(), 16),
                    BigInteger.valueOf(Integer.toUnsignedLong(maxBits)), crs.getCrsDigest().toByteArray(), extra);
            out.addCrsResponses(CrsGenResult.newBuilder()
                    .setRequestId(crs.getCrsId())
                    .setCrsDigest(crs.getCrsDigest())
                    .setMaxNumBits(maxBits)
                    .setExternalSignature(sign(req.getDomain(), struct)));
        }
        return out.build();
    }

    /** Stands for the digest of material the double does not produce: keccak of what and the id. */
    static byte[] fakeDigest(String what, BigInteger id) {
        return Hash.sha3(concat(what.getBytes(java.nio.charset.StandardCharsets.UTF_8), Uint256.toBigEndian(id)));
    }

    private ByteString sign(Eip712DomainMsg domain, byte[] structHash) {
        byte[] separator = Eip712.domainSeparator(domain.getName(), domain.getVersion(),
                new BigInteger(1, domain.getChainId().toByteArray()), domain.getVerifyingContract());
        return ByteString.copyFrom(Eip712.sign(Eip712.digest(separator, structHash), signer));
    }

    private static List<byte[]> handles(List<TypedCiphertext> cts) {
        return cts.stream().map(ct -> ct.getExternalHandle().toByteArray()).toList();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
