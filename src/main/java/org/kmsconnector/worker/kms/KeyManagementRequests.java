package org.kmsconnector.worker.kms;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import org.kmsconnector.chain.ExtraData;
import org.kmsconnector.kms.v1.CompressedKeyConfig;
import org.kmsconnector.kms.v1.ComputeKeyType;
import org.kmsconnector.kms.v1.CrsGenRequest;
import org.kmsconnector.kms.v1.FheParameter;
import org.kmsconnector.kms.v1.KeyGenPreprocRequest;
import org.kmsconnector.kms.v1.KeyGenRequest;
import org.kmsconnector.kms.v1.KeyGenSecretKeyConfig;
import org.kmsconnector.kms.v1.KeySetConfig;
import org.kmsconnector.kms.v1.KeySetType;
import org.kmsconnector.kms.v1.StandardKeySetConfig;

/**
 * The KMS Core requests of the KMSGeneration events (kms-grpc.md §6.4), under the KMSGeneration
 * domain on Ethereum; context and epoch from the event's extraData, which is forwarded unchanged.
 */
public final class KeyManagementRequests {
    /** Standard, CPU, all secret keys generated, all compressed: the compressed XOF keyset. */
    static final KeySetConfig COMPRESSED_XOF_KEYSET = KeySetConfig.newBuilder()
            .setKeysetType(KeySetType.Standard)
            .setStandardKeysetConfig(StandardKeySetConfig.newBuilder()
                    .setComputeKeyType(ComputeKeyType.CPU)
                    .setSecretKeyConfig(KeyGenSecretKeyConfig.GenerateAll)
                    .setCompressedKeyConfig(CompressedKeyConfig.CompressedAll))
            .build();

    private KeyManagementRequests() {}

    public static KeyGenPreprocRequest keyGenPreproc(BigInteger prepKeygenId, String paramsType,
            DecryptionRequests.Domain domain, byte[] extraData) {
        ExtraData parsed = ExtraData.parse(extraData);
        KeyGenPreprocRequest.Builder b = KeyGenPreprocRequest.newBuilder()
                .setRequestId(DecryptionRequests.requestId(prepKeygenId))
                .setParams(params(paramsType))
                .setKeysetConfig(COMPRESSED_XOF_KEYSET)
                .setDomain(domain.toMsg())
                .setExtraData(ByteString.copyFrom(extraData));
        parsed.contextId().ifPresent(id -> b.setContextId(DecryptionRequests.requestId(id)));
        parsed.epochId().ifPresent(id -> b.setEpochId(DecryptionRequests.requestId(id)));
        return b.build();
    }

    /** params unset, as upstream: the key takes its preprocessing's parameters. */
    public static KeyGenRequest keyGen(BigInteger keyId, BigInteger prepKeygenId, DecryptionRequests.Domain domain,
            byte[] extraData) {
        ExtraData parsed = ExtraData.parse(extraData);
        KeyGenRequest.Builder b = KeyGenRequest.newBuilder()
                .setRequestId(DecryptionRequests.requestId(keyId))
                .setPreprocId(DecryptionRequests.requestId(prepKeygenId))
                .setDomain(domain.toMsg())
                .setKeysetConfig(COMPRESSED_XOF_KEYSET)
                .setExtraData(ByteString.copyFrom(extraData));
        parsed.contextId().ifPresent(id -> b.setContextId(DecryptionRequests.requestId(id)));
        parsed.epochId().ifPresent(id -> b.setEpochId(DecryptionRequests.requestId(id)));
        return b.build();
    }

    /** max_num_bits is the low 32 bits of maxBitLength, as upstream sends it. */
    public static CrsGenRequest crsGen(BigInteger crsId, BigInteger maxBitLength, String paramsType,
            DecryptionRequests.Domain domain, byte[] extraData) {
        ExtraData parsed = ExtraData.parse(extraData);
        CrsGenRequest.Builder b = CrsGenRequest.newBuilder()
                .setRequestId(DecryptionRequests.requestId(crsId))
                .setParams(params(paramsType))
                .setMaxNumBits(maxBitLength.intValue())
                .setDomain(domain.toMsg())
                .setExtraData(ByteString.copyFrom(extraData));
        parsed.contextId().ifPresent(id -> b.setContextId(DecryptionRequests.requestId(id)));
        parsed.epochId().ifPresent(id -> b.setEpochId(DecryptionRequests.requestId(id)));
        return b.build();
    }

    /** The database's params_type as the gRPC FheParameter (same numbers: Default 0, Test 1). */
    static FheParameter params(String paramsType) {
        return switch (paramsType) {
            case "Default" -> FheParameter.FHE_PARAMETER_DEFAULT;
            case "Test" -> FheParameter.FHE_PARAMETER_TEST;
            default -> throw new IllegalArgumentException("unknown params_type " + paramsType);
        };
    }
}
