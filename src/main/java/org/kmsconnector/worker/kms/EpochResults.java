package org.kmsconnector.worker.kms;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.kmsconnector.chain.KeyDigest;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.kms.v1.CrsGenResult;
import org.kmsconnector.kms.v1.EpochResultResponse;
import org.kmsconnector.kms.v1.KeyGenResult;
import org.kmsconnector.kms.v1.RequestId;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.utils.Numeric;

/**
 * A GetEpochResult reply as the two columns of epoch_result_responses (kms-grpc.md §8):
 * abi.encode(EpochKeyResult[]) and abi.encode(EpochCrsResult[]), what confirmEpochActivation takes.
 */
public final class EpochResults {
    private EpochResults() {}

    /** @throws IllegalArgumentException for a result without its ids or with a key type the contracts do not know */
    public static byte[] keysAbi(EpochResultResponse reply) {
        List<DynamicStruct> keys = new ArrayList<>();
        for (KeyGenResult key : reply.getReshareResponsesList()) {
            List<DynamicStruct> digests = new ArrayList<>();
            for (org.kmsconnector.kms.v1.KeyDigest d : key.getKeyDigestsList()) {
                digests.add(new DynamicStruct(new Uint8(KeyDigest.Type.fromKms(d.getKeyType()).onChain()),
                        new DynamicBytes(d.getDigest().toByteArray())));
            }
            keys.add(new DynamicStruct(
                    uint256(key.hasPreprocessingId(), key.getPreprocessingId(), "a reshared key's preprocessing_id"),
                    uint256(key.hasRequestId(), key.getRequestId(), "a reshared key's request_id"),
                    new DynamicArray<>(DynamicStruct.class, digests),
                    new DynamicBytes(key.getExternalSignature().toByteArray())));
        }
        return encode(new DynamicArray<>(DynamicStruct.class, keys));
    }

    /** @throws IllegalArgumentException for a result without its id */
    public static byte[] crsListAbi(EpochResultResponse reply) {
        List<DynamicStruct> crsList = new ArrayList<>();
        for (CrsGenResult crs : reply.getCrsResponsesList()) {
            crsList.add(new DynamicStruct(
                    uint256(crs.hasRequestId(), crs.getRequestId(), "a reshared CRS's request_id"),
                    new org.web3j.abi.datatypes.generated.Uint256(Integer.toUnsignedLong(crs.getMaxNumBits())),
                    new DynamicBytes(crs.getCrsDigest().toByteArray()),
                    new DynamicBytes(crs.getExternalSignature().toByteArray())));
        }
        return encode(new DynamicArray<>(DynamicStruct.class, crsList));
    }

    /** Ids read back from the KMS Core must be exactly 32 bytes. */
    private static org.web3j.abi.datatypes.generated.Uint256 uint256(boolean present, RequestId id, String what) {
        if (!present) {
            throw new IllegalArgumentException(what + " is missing");
        }
        String hex = id.getRequestId();
        if (hex.length() != 64) {
            throw new IllegalArgumentException(what + " is not 32 bytes: '" + hex + "'");
        }
        BigInteger value = Uint256.fromRequestId(hex);
        return new org.web3j.abi.datatypes.generated.Uint256(value);
    }

    /** abi.encode(array): the offset word, then the array. */
    private static byte[] encode(Type<?> value) {
        return Numeric.hexStringToByteArray(FunctionEncoder.encodeConstructor(List.of(value)));
    }
}
