package org.kmsconnector.worker.kms;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.AbiReader;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.KeyDigest;
import org.kmsconnector.chain.KmsContextPayload;
import org.kmsconnector.chain.KmsGenerationViews;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.kms.v1.CrsGenResult;
import org.kmsconnector.kms.v1.EpochResultResponse;
import org.kmsconnector.kms.v1.FheParameter;
import org.kmsconnector.kms.v1.KeyGenResult;
import org.kmsconnector.kms.v1.MpcContext;
import org.kmsconnector.kms.v1.MpcNode;
import org.kmsconnector.kms.v1.NewMpcEpochRequest;
import org.kmsconnector.kms.v1.RequestId;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The context and epoch requests as kms-grpc.md §6.5 maps them, and the epoch result's two ABI columns. */
class ContextRequestsTest {
    private static final BigInteger CONTEXT = BigInteger.valueOf(7).shiftLeft(248).add(BigInteger.TWO);
    private static final BigInteger EPOCH = BigInteger.valueOf(8).shiftLeft(248).add(BigInteger.TWO);
    private static final BigInteger KEY = BigInteger.valueOf(4).shiftLeft(248).add(BigInteger.ONE);
    private static final BigInteger PREP = BigInteger.valueOf(3).shiftLeft(248).add(BigInteger.ONE);
    private static final BigInteger CRS = BigInteger.valueOf(5).shiftLeft(248).add(BigInteger.ONE);
    private static final DecryptionRequests.Domain PROTOCOL_CONFIG = new DecryptionRequests.Domain("ProtocolConfig",
            "1", 1, "0x5FbDB2315678afecb367f032d93F642f64180aa3");

    private static KmsContextPayload context(BigInteger mpcThreshold) {
        KmsContextPayload.Node node = new KmsContextPayload.Node(Hex.decode("11".repeat(20)), Hex.decode("22".repeat(20)),
                "10.0.0.1:50100", "https://s3/kms-1", -1, "kms-1", new byte[0], "prefix");
        return new KmsContextPayload(List.of(node), new KmsContextPayload.Thresholds(BigInteger.ONE, BigInteger.TWO,
                BigInteger.valueOf(3), mpcThreshold), "v0.15.0", List.of(new KmsContextPayload.Pcrs(new byte[] {1},
                        new byte[] {2}, new byte[] {3})));
    }

    @Test
    void aContextCarriesItsNodesWithTheTxSenderAsExtraSignerAndOnlyTheMpcThreshold() {
        MpcContext c = ContextRequests.newMpcContext(CONTEXT, context(BigInteger.valueOf(4))).getNewContext();
        assertEquals(Uint256.toRequestId(CONTEXT), c.getContextId().getRequestId());
        assertEquals("v0.15.0", c.getSoftwareVersion());
        assertEquals(4, c.getThreshold());
        MpcNode n = c.getMpcNodes(0);
        assertEquals("kms-1", n.getMpcIdentity());
        assertEquals(-1, n.getPartyId(), "int32, sign kept");
        assertEquals("10.0.0.1:50100", n.getExternalUrl());
        assertEquals("https://s3/kms-1", n.getPublicStorageUrl());
        assertEquals("prefix", n.getPublicStoragePrefix());
        assertTrue(n.hasCaCert(), "present even when empty");
        assertArrayEquals(Hex.decode("22".repeat(20)), n.getSignerAddress().toByteArray());
        assertEquals(List.of(ByteString.copyFrom(Hex.decode("11".repeat(20)))), n.getExtraSignerAddressesList());
        assertArrayEquals(new byte[] {2}, c.getPcrValues(0).getPcr1().toByteArray());
    }

    @Test
    void anMpcThresholdBeyondInt32CannotBeSent() {
        assertThrows(IllegalArgumentException.class,
                () -> ContextRequests.newMpcContext(CONTEXT, context(BigInteger.ONE.shiftLeft(31))));
    }

    @Test
    void anEpochResharesThePreviousKeysAndCrssUnderProtocolConfigsDomainWithExtraDataV2() {
        KmsGenerationViews.KeyInfo key = new KmsGenerationViews.KeyInfo(PREP, KEY, 1, List.of(
                new KeyDigest(KeyDigest.Type.CompressedKeySet, new byte[] {9}), new KeyDigest(KeyDigest.Type.Public,
                        new byte[] {8})));
        NewMpcEpochRequest r = ContextRequests.newMpcEpoch(CONTEXT, EPOCH, CONTEXT, EPOCH.subtract(BigInteger.ONE),
                List.of(key), List.of(new ContextRequests.Crs(CRS, new byte[] {7})), PROTOCOL_CONFIG);
        assertEquals(Uint256.toRequestId(EPOCH), r.getEpochId().getRequestId());
        assertEquals(Uint256.toRequestId(EPOCH.subtract(BigInteger.ONE)), r.getPreviousEpoch().getEpochId()
                .getRequestId());
        assertEquals(FheParameter.FHE_PARAMETER_TEST, r.getPreviousEpoch().getKeysInfo(0).getKeyParameters());
        assertEquals(Uint256.toRequestId(PREP), r.getPreviousEpoch().getKeysInfo(0).getPreprocId().getRequestId());
        assertEquals(List.of("CompressedXofKeySet", "PublicKey"), r.getPreviousEpoch().getKeysInfo(0)
                .getKeyDigestsList().stream().map(org.kmsconnector.kms.v1.KeyDigest::getKeyType).toList());
        assertArrayEquals(new byte[] {7}, r.getPreviousEpoch().getCrsInfo(0).getCrsDigest().toByteArray());
        assertEquals("ProtocolConfig", r.getDomain().getName());
        byte[] extra = r.getExtraData().toByteArray();
        assertEquals(65, extra.length);
        assertEquals(2, extra[0]);
        assertEquals(CONTEXT, AbiReader.of(java.util.Arrays.copyOfRange(extra, 1, 33)).uint(0));
        assertEquals(EPOCH, AbiReader.of(java.util.Arrays.copyOfRange(extra, 33, 65)).uint(0));
    }

    @Test
    void aKeyWithUnknownParametersCannotBeReshared() {
        KmsGenerationViews.KeyInfo key = new KmsGenerationViews.KeyInfo(PREP, KEY, 2, List.of());
        assertThrows(IllegalArgumentException.class, () -> ContextRequests.newMpcEpoch(CONTEXT, EPOCH, CONTEXT, EPOCH,
                List.of(key), List.of(), PROTOCOL_CONFIG));
    }

    @Test
    void theEpochResultBecomesTheTwoEncodedArraysInTheKmsCoresOrder() {
        EpochResultResponse reply = EpochResultResponse.newBuilder()
                .addReshareResponses(KeyGenResult.newBuilder().setRequestId(id(KEY)).setPreprocessingId(id(PREP))
                        .addKeyDigests(org.kmsconnector.kms.v1.KeyDigest.newBuilder().setKeyType("ServerKey")
                                .setDigest(ByteString.copyFrom(new byte[] {5})))
                        .setExternalSignature(ByteString.copyFrom(new byte[65])))
                .addCrsResponses(CrsGenResult.newBuilder().setRequestId(id(CRS)).setMaxNumBits(2048)
                        .setCrsDigest(ByteString.copyFrom(new byte[] {6})).setExternalSignature(ByteString.copyFrom(
                                new byte[65])))
                .build();
        AbiReader keys = AbiReader.of(EpochResults.keysAbi(reply));
        AbiReader key = keys.dynamicTupleArray(0).get(0);
        assertEquals(PREP, key.uint(0));
        assertEquals(KEY, key.uint(1));
        assertEquals(BigInteger.ZERO, key.dynamicTupleArray(2).get(0).uint(0), "ServerKey is KeyType 0");
        assertEquals(65, key.bytes(3).length);
        AbiReader crs = AbiReader.of(EpochResults.crsListAbi(reply)).dynamicTupleArray(0).get(0);
        assertEquals(CRS, crs.uint(0));
        assertEquals(BigInteger.valueOf(2048), crs.uint(1));
        assertArrayEquals(new byte[] {6}, crs.bytes(2));
    }

    @Test
    void aResultWithoutItsIdsOrWithAShortIdCannotBeStored() {
        EpochResultResponse missing = EpochResultResponse.newBuilder()
                .addReshareResponses(KeyGenResult.newBuilder().setRequestId(id(KEY))).build();
        assertThrows(IllegalArgumentException.class, () -> EpochResults.keysAbi(missing));
        EpochResultResponse shortId = EpochResultResponse.newBuilder()
                .addCrsResponses(CrsGenResult.newBuilder().setRequestId(RequestId.newBuilder().setRequestId("01")))
                .build();
        assertThrows(IllegalArgumentException.class, () -> EpochResults.crsListAbi(shortId));
    }

    private static RequestId id(BigInteger value) {
        return DecryptionRequests.requestId(value);
    }
}
