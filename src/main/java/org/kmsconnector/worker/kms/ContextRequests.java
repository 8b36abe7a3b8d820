package org.kmsconnector.worker.kms;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.util.List;
import org.kmsconnector.chain.KeyDigest;
import org.kmsconnector.chain.KmsContextPayload;
import org.kmsconnector.chain.KmsGenerationViews;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.kms.v1.CrsInfo;
import org.kmsconnector.kms.v1.FheParameter;
import org.kmsconnector.kms.v1.KeyInfo;
import org.kmsconnector.kms.v1.MpcContext;
import org.kmsconnector.kms.v1.MpcNode;
import org.kmsconnector.kms.v1.NewMpcContextRequest;
import org.kmsconnector.kms.v1.NewMpcEpochRequest;
import org.kmsconnector.kms.v1.PcrValues;
import org.kmsconnector.kms.v1.PreviousEpochInfo;

/** The KMS Core requests of the ProtocolConfig events (kms-grpc.md §6.5). */
public final class ContextRequests {
    /** One CRS to reshare: its id and the digest KMSGeneration holds. */
    public record Crs(BigInteger crsId, byte[] digest) {}

    private ContextRequests() {}

    /**
     * A context as the KMS Core knows it: every node with its tx sender as the extra signer, and
     * only the MPC threshold (the other three are the contracts' business).
     *
     * @throws IllegalArgumentException when the MPC threshold does not fit an int32
     */
    public static NewMpcContextRequest newMpcContext(BigInteger contextId, KmsContextPayload context) {
        BigInteger mpc = context.thresholds().mpc();
        if (mpc.bitLength() > 31) {
            throw new IllegalArgumentException("the MPC threshold " + mpc + " of context " + contextId
                    + " does not fit an int32");
        }
        MpcContext.Builder b = MpcContext.newBuilder()
                .setContextId(DecryptionRequests.requestId(contextId))
                .setSoftwareVersion(context.softwareVersion())
                .setThreshold(mpc.intValue());
        for (KmsContextPayload.Node n : context.nodes()) {
            b.addMpcNodes(MpcNode.newBuilder()
                    .setMpcIdentity(n.mpcIdentity())
                    .setPartyId(n.partyId())
                    .setSignerAddress(ByteString.copyFrom(n.signerAddress()))
                    .setExternalUrl(n.ipAddress())
                    .setCaCert(ByteString.copyFrom(n.caCert()))
                    .setPublicStorageUrl(n.storageUrl())
                    .setPublicStoragePrefix(n.storagePrefix())
                    .addExtraSignerAddresses(ByteString.copyFrom(n.txSenderAddress())));
        }
        for (KmsContextPayload.Pcrs p : context.pcrValues()) {
            b.addPcrValues(PcrValues.newBuilder().setPcr0(ByteString.copyFrom(p.pcr0()))
                    .setPcr1(ByteString.copyFrom(p.pcr1())).setPcr2(ByteString.copyFrom(p.pcr2())));
        }
        return NewMpcContextRequest.newBuilder().setNewContext(b).build();
    }

    /**
     * A new epoch of a context, resharing the keys and CRSs of the previous epoch; signed by the
     * KMS Core under ProtocolConfig's domain with extraData v2 (context and epoch).
     *
     * @throws IllegalArgumentException for a key whose parameters the KMS Core does not know
     */
    public static NewMpcEpochRequest newMpcEpoch(BigInteger contextId, BigInteger epochId,
            BigInteger previousContextId, BigInteger previousEpochId, List<KmsGenerationViews.KeyInfo> keys,
            List<Crs> crsList, DecryptionRequests.Domain protocolConfig) {
        PreviousEpochInfo.Builder previous = PreviousEpochInfo.newBuilder()
                .setContextId(DecryptionRequests.requestId(previousContextId))
                .setEpochId(DecryptionRequests.requestId(previousEpochId));
        for (KmsGenerationViews.KeyInfo key : keys) {
            KeyInfo.Builder k = KeyInfo.newBuilder()
                    .setKeyId(DecryptionRequests.requestId(key.keyId()))
                    .setPreprocId(DecryptionRequests.requestId(key.prepKeygenId()))
                    .setKeyParameters(parameters(key));
            for (KeyDigest d : key.digests()) {
                k.addKeyDigests(org.kmsconnector.kms.v1.KeyDigest.newBuilder().setKeyType(d.type().kmsName())
                        .setDigest(ByteString.copyFrom(d.digest())));
            }
            previous.addKeysInfo(k);
        }
        for (Crs crs : crsList) {
            previous.addCrsInfo(CrsInfo.newBuilder().setCrsId(DecryptionRequests.requestId(crs.crsId()))
                    .setCrsDigest(ByteString.copyFrom(crs.digest())));
        }
        return NewMpcEpochRequest.newBuilder()
                .setContextId(DecryptionRequests.requestId(contextId))
                .setEpochId(DecryptionRequests.requestId(epochId))
                .setPreviousEpoch(previous)
                .setDomain(protocolConfig.toMsg())
                .setExtraData(ByteString.copyFrom(extraDataV2(contextId, epochId)))
                .build();
    }

    /** 0x02 ‖ contextId ‖ epochId, 65 bytes. */
    public static byte[] extraDataV2(BigInteger contextId, BigInteger epochId) {
        byte[] out = new byte[65];
        out[0] = 2;
        System.arraycopy(Uint256.toBigEndian(contextId), 0, out, 1, 32);
        System.arraycopy(Uint256.toBigEndian(epochId), 0, out, 33, 32);
        return out;
    }

    private static FheParameter parameters(KmsGenerationViews.KeyInfo key) {
        return switch (key.paramsType()) {
            case 0 -> FheParameter.FHE_PARAMETER_DEFAULT;
            case 1 -> FheParameter.FHE_PARAMETER_TEST;
            default -> throw new IllegalArgumentException("key " + key.keyId() + " has unknown paramsType "
                    + key.paramsType());
        };
    }
}
