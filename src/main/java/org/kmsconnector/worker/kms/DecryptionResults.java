package org.kmsconnector.worker.kms;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.kmsconnector.kms.v1.TypedPlaintext;
import org.kmsconnector.kms.v1.TypedSigncryptedCiphertext;
import org.kmsconnector.kms.v1.UserDecryptionResponsePayload;

/**
 * The two byte strings the KMS signs and the connector must rebuild bit for bit
 * (kms-grpc.md §8): the ABI words of public plaintexts and the bincode of a user payload.
 */
public final class DecryptionResults {
    /** Highest tfhe FheTypes value (Int248); anything outside 0..83 is not a FheTypes value. */
    static final int MAX_FHE_TYPE = 83;

    private DecryptionResults() {}

    /**
     * abi.encode(uint256, …) of the plaintexts, in order: each little-endian value becomes one
     * big-endian 32-byte word. Bool and Uint8..Uint256 only; another valid type is an error; a
     * number that is no FheTypes value at all is skipped, as the KMS does.
     */
    public static byte[] abiEncodePlaintexts(List<TypedPlaintext> plaintexts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * plaintexts.size());
        for (TypedPlaintext pt : plaintexts) {
            int type = pt.getFheType();
            if (type < 0 || type > MAX_FHE_TYPE) {
                continue;
            }
            if (!isAbiEncodable(type)) {
                throw new IllegalArgumentException("FHE type " + type + " cannot be ABI-encoded as a plaintext");
            }
            byte[] le = pt.getBytes().toByteArray();
            if (le.length > 32) {
                throw new IllegalArgumentException("plaintext of " + le.length + " bytes exceeds 32");
            }
            byte[] word = new byte[32];
            for (int i = 0; i < le.length; i++) {
                word[31 - i] = le[i];
            }
            out.writeBytes(word);
        }
        return out.toByteArray();
    }

    /** Bool (0) and Uint8 (2) … Uint256 (8); Uint4 (1) is not. */
    public static boolean isAbiEncodable(int fheType) {
        return fheType == 0 || (fheType >= 2 && fheType <= 8);
    }

    /**
     * bincode "legacy" encoding of the payload: little-endian fixed-width integers, u64 length
     * prefixes for bytes and sequences, fields in declaration order, no tags.
     */
    public static byte[] bincodeUserPayload(UserDecryptionResponsePayload payload) {
        Bincode out = new Bincode();
        out.bytes(payload.getVerificationKey());
        out.bytes(payload.getDigest());
        out.u64(payload.getSigncryptedCiphertextsCount());
        for (TypedSigncryptedCiphertext ct : payload.getSigncryptedCiphertextsList()) {
            out.u32(ct.getFheType());
            out.bytes(ct.getSigncryptedCiphertext());
            out.bytes(ct.getExternalHandle());
            out.u32(ct.getPackingFactor());
        }
        out.u32(payload.getPartyId());
        out.u32(payload.getDegree());
        return out.toByteArray();
    }

    private static final class Bincode {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void u32(int v) { // i32 and u32 have the same 4 little-endian bytes
            scratch.clear();
            scratch.putInt(v);
            out.write(scratch.array(), 0, 4);
        }

        void u64(long v) {
            scratch.clear();
            scratch.putLong(v);
            out.write(scratch.array(), 0, 8);
        }

        void bytes(ByteString b) {
            u64(b.size());
            out.writeBytes(b.toByteArray());
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
