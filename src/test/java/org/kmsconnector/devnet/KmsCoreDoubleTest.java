package org.kmsconnector.devnet;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Eip712;
import org.kmsconnector.chain.KeyDigest;
import org.kmsconnector.chain.KmsGenerationViews;
import org.kmsconnector.kms.v1.CoreServiceEndpointGrpc.CoreServiceEndpointBlockingStub;
import org.kmsconnector.kms.v1.CoreServiceEndpointGrpc;
import org.kmsconnector.kms.v1.CrsGenResult;
import org.kmsconnector.kms.v1.DestroyMpcContextRequest;
import org.kmsconnector.kms.v1.DestroyMpcEpochRequest;
import org.kmsconnector.kms.v1.EpochResultResponse;
import org.kmsconnector.kms.v1.KeyGenPreprocRequest;
import org.kmsconnector.kms.v1.KeyGenPreprocResult;
import org.kmsconnector.kms.v1.KeyGenRequest;
import org.kmsconnector.kms.v1.KeyGenResult;
import org.kmsconnector.kms.v1.KeySetConfig;
import org.kmsconnector.kms.v1.MpcContext;
import org.kmsconnector.kms.v1.NewMpcContextRequest;
import org.kmsconnector.kms.v1.PublicDecryptionRequest;
import org.kmsconnector.kms.v1.RequestId;
import org.kmsconnector.kms.v1.StandardKeySetConfig;
import org.kmsconnector.kms.v1.UserDecryptionRequest;
import org.kmsconnector.worker.kms.ContextRequests;
import org.kmsconnector.worker.kms.DecryptionRequests;
import org.kmsconnector.worker.kms.KeyManagementRequests;
import org.web3j.crypto.Hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kmsconnector.testsupport.KmsFixtures.DOMAIN;
import static org.kmsconnector.testsupport.KmsFixtures.SIGNER;
import static org.kmsconnector.testsupport.KmsFixtures.SIGNER_ADDRESS;
import static org.kmsconnector.testsupport.KmsFixtures.publicId;
import static org.kmsconnector.testsupport.KmsFixtures.publicRequest;
import static org.kmsconnector.testsupport.KmsFixtures.requestId;
import static org.kmsconnector.testsupport.KmsFixtures.userId;
import static org.kmsconnector.testsupport.KmsFixtures.userRequest;

/** The double's own contract, spoken to with the raw generated stub. */
class KmsCoreDoubleTest {
    private static final DecryptionRequests.Domain PROTOCOL_CONFIG = new DecryptionRequests.Domain("ProtocolConfig",
            "1", 1, DOMAIN.verifyingContract());
    private KmsCoreDouble core;
    private ManagedChannel channel;
    private CoreServiceEndpointBlockingStub stub;

    @BeforeEach
    void start() {
        core = KmsCoreDouble.start(0, SIGNER);
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", core.port(), InsecureChannelCredentials.create()).build();
        stub = CoreServiceEndpointGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        core.close();
    }

    @Test
    void listensOnLoopbackAndNamesItsEndpoint() {
        assertTrue(core.port() > 0);
        assertEquals("http://127.0.0.1:" + core.port(), core.endpoint());
    }

    @Test
    void rejectsRequestsTheRealCoreRejects() {
        BigInteger id = publicId(0xabcdef);
        PublicDecryptionRequest good = publicRequest(id);
        String contract = DOMAIN.verifyingContract();
        assertInvalid(() -> stub.publicDecrypt(good.toBuilder()
                .setRequestId(RequestId.newBuilder().setRequestId(requestId(id).toUpperCase())).build()));
        assertInvalid(() -> stub.publicDecrypt(good.toBuilder()
                .setRequestId(RequestId.newBuilder().setRequestId("0x" + requestId(id).substring(2))).build()));
        assertInvalid(() -> stub.publicDecrypt(good.toBuilder().clearRequestId().build()));
        assertInvalid(() -> stub.publicDecrypt(good.toBuilder().clearKeyId().build()));
        assertInvalid(() -> stub.publicDecrypt(good.toBuilder().clearDomain().build()));
        assertInvalid(() -> stub.publicDecrypt(good.toBuilder()
                .setDomain(good.getDomain().toBuilder().setVerifyingContract(contract.toLowerCase())).build()));
        assertInvalid(() -> stub.publicDecrypt(good.toBuilder()
                .setDomain(good.getDomain().toBuilder().setChainId(ByteString.copyFrom(new byte[] {(byte) 0xd4, 0x31}))).build()));
        assertInvalid(() -> stub.publicDecrypt(good.toBuilder().clearCiphertexts().build()));
        assertInvalid(() -> stub.publicDecrypt(good.toBuilder()
                .setContextId(RequestId.newBuilder().setRequestId("07")).build()));

        UserDecryptionRequest user = userRequest(userId(1));
        assertInvalid(() -> stub.userDecrypt(user.toBuilder().setClientAddress(user.getClientAddress().toLowerCase()).build()));
        assertInvalid(() -> stub.userDecrypt(user.toBuilder().setClientAddress(contract).build()));

        // a rejected request is not stored and the calls were logged
        assertEquals(Status.Code.NOT_FOUND, codeOf(() -> stub.getPublicDecryptionResult(id(id))));
        assertEquals(1, core.callCount("PublicDecrypt:" + requestId(id).toUpperCase()));
        assertEquals(9, core.totalCalls("PublicDecrypt"));
    }

    @Test
    void knownIdsAreAlreadyThereAndUnknownPollsAreNotFound() {
        BigInteger id = publicId(2);
        stub.publicDecrypt(publicRequest(id));
        assertEquals(Status.Code.ALREADY_EXISTS, codeOf(() -> stub.publicDecrypt(publicRequest(id))));
        assertEquals(Status.Code.NOT_FOUND, codeOf(() -> stub.getUserDecryptionResult(id(id))));
        assertEquals(Status.Code.INVALID_ARGUMENT, codeOf(() -> stub.getPublicDecryptionResult(
                RequestId.newBuilder().setRequestId("1").build())));
    }

    @Test
    void plaintextsAreTheKeccakOfTheCiphertextCutToTheTypeWidth() {
        byte[] ct = {9, 9, 9};
        BigInteger full = new BigInteger(1, Hash.sha3(ct));
        assertEquals(full, KmsCoreDouble.expectedPlaintext(ct, 8));
        assertEquals(full.mod(BigInteger.TWO), KmsCoreDouble.expectedPlaintext(ct, 0));
        assertEquals(full.mod(BigInteger.ONE.shiftLeft(8)), KmsCoreDouble.expectedPlaintext(ct, 2));
        assertEquals(full.mod(BigInteger.ONE.shiftLeft(160)), KmsCoreDouble.expectedPlaintext(ct, 7));
        assertThrows(IllegalArgumentException.class, () -> KmsCoreDouble.expectedPlaintext(ct, 1));

        BigInteger id = publicId(3);
        PublicDecryptionRequest req = publicRequest(id);
        stub.publicDecrypt(req);
        var reply = stub.getPublicDecryptionResult(id(id));
        assertEquals(3, reply.getPayload().getPlaintextsCount());
        // Bool: one byte; Uint64: 8 bytes little-endian
        var bool = reply.getPayload().getPlaintexts(0);
        assertEquals(0, bool.getFheType());
        assertEquals(1, bool.getBytes().size());
        var u64 = reply.getPayload().getPlaintexts(1);
        assertEquals(5, u64.getFheType());
        assertEquals(8, u64.getBytes().size());
        byte[] be = new byte[8];
        for (int i = 0; i < 8; i++) {
            be[i] = u64.getBytes().byteAt(7 - i);
        }
        assertEquals(KmsCoreDouble.expectedPlaintext(req.getCiphertexts(1).getCiphertext().toByteArray(), 5),
                new BigInteger(1, be));
    }

    @Test
    void aTypeThatCannotBePubliclyDecryptedFailsAndMayBeRedone() {
        BigInteger id = publicId(4);
        var uint4 = new DecryptionRequests.Ciphertext(org.kmsconnector.testsupport.KmsFixtures.handle(4, 1), new byte[] {1}, 1, 11);
        PublicDecryptionRequest req = DecryptionRequests.publicDecryption(id, java.util.List.of(uint4),
                org.kmsconnector.testsupport.KmsFixtures.KEY_ID, DOMAIN, new byte[0]);
        stub.publicDecrypt(req);
        assertEquals(Status.Code.INTERNAL, codeOf(() -> stub.getPublicDecryptionResult(id(id))));
        stub.publicDecrypt(req); // redo on failure: accepted again, not ALREADY_EXISTS
        assertEquals(2, core.callCount("PublicDecrypt:" + requestId(id)));
    }

    @Test
    void faultsAreScriptedPerRpcAndCounted() {
        BigInteger id = publicId(5);
        core.failNext("PublicDecrypt", Status.Code.RESOURCE_EXHAUSTED, 1);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, codeOf(() -> stub.publicDecrypt(publicRequest(id))));
        stub.publicDecrypt(publicRequest(id)); // the fault was used up and did not store the request
        assertEquals(2, core.callCount("PublicDecrypt:" + requestId(id)));
        assertThrows(IllegalArgumentException.class, () -> core.failNext("Decrypt", Status.Code.UNAVAILABLE, 1));
    }

    @Test
    void preprocessingIsSignedAndCanBeAborted() {
        BigInteger prep = BigInteger.valueOf(3).shiftLeft(248).add(BigInteger.ONE);
        byte[] extra = new byte[65];
        extra[0] = 2;
        KeyGenPreprocRequest req = KeyGenPreprocRequest.newBuilder()
                .setRequestId(id(prep))
                .setKeysetConfig(KeySetConfig.newBuilder().setStandardKeysetConfig(StandardKeySetConfig.getDefaultInstance()))
                .setDomain(new DecryptionRequests.Domain("KMSGeneration", "1", 1, DOMAIN.verifyingContract()).toMsg())
                .setExtraData(ByteString.copyFrom(extra))
                .build();
        assertInvalid(() -> stub.keyGenPreproc(req.toBuilder().setKeysetConfig(KeySetConfig.getDefaultInstance()).build()));
        stub.keyGenPreproc(req);
        KeyGenPreprocResult result = stub.getKeyGenPreprocResult(id(prep));
        assertEquals(req.getRequestId(), result.getPreprocessingId());
        byte[] digest = Eip712.digest(Eip712.domainSeparator("KMSGeneration", "1", 1, DOMAIN.verifyingContract()),
                Eip712.prepKeygenStructHash(prep, extra));
        assertEquals(SIGNER_ADDRESS, Eip712.recover(digest, result.getExternalSignature().toByteArray()));

        stub.abortKeyGen(id(prep));
        assertEquals(Status.Code.ABORTED, codeOf(() -> stub.getKeyGenPreprocResult(id(prep))));
        assertEquals(Status.Code.NOT_FOUND, codeOf(() -> stub.abortKeyGen(id(prep.add(BigInteger.ONE)))));
    }

    @Test
    void contextsAreCheckedCreatedOnceAndDestroyedOnceWithTheirEpochs() {
        BigInteger ctx = BigInteger.valueOf(7).shiftLeft(248).add(BigInteger.TWO);
        assertInvalid(() -> stub.newMpcContext(NewMpcContextRequest.newBuilder()
                .setNewContext(MpcContext.newBuilder().setContextId(id(ctx))).build()));
        NewMpcContextRequest req = ContextRequests.newMpcContext(ctx, ProtocolConfigCalls.oneNodeContext("v1"));
        stub.newMpcContext(req);
        assertEquals(Status.Code.ALREADY_EXISTS, codeOf(() -> stub.newMpcContext(req)));
        assertEquals("v1", core.context(requestId(ctx)).orElseThrow().getSoftwareVersion());

        BigInteger epoch = BigInteger.valueOf(8).shiftLeft(248).add(BigInteger.TWO);
        assertEquals(Status.Code.NOT_FOUND, codeOf(() -> stub.newMpcEpoch(ContextRequests.newMpcEpoch(
                ctx.add(BigInteger.ONE), epoch, ctx, epoch, List.of(), List.of(), PROTOCOL_CONFIG))), "unknown context");
        stub.newMpcEpoch(ContextRequests.newMpcEpoch(ctx, epoch, ctx, epoch.subtract(BigInteger.ONE), List.of(),
                List.of(), PROTOCOL_CONFIG));
        DestroyMpcContextRequest destroy = DestroyMpcContextRequest.newBuilder().setContextId(id(ctx)).build();
        assertEquals(List.of(id(epoch)), stub.destroyMpcContext(destroy).getEpochIdsList(), "its epochs go with it");
        assertEquals(Status.Code.NOT_FOUND, codeOf(() -> stub.destroyMpcContext(destroy)));
        assertEquals(Status.Code.NOT_FOUND, codeOf(() -> stub.getEpochResult(id(epoch))));
        assertEquals(3, core.callCount("NewMpcContext:" + requestId(ctx)));
    }

    /** A new epoch reshares what it is told of the previous one, each key and CRS signed anew under ProtocolConfig. */
    @Test
    void anEpochResharesThePreviousKeysAndCrssSignedUnderTheRequestsDomain() {
        BigInteger ctx = BigInteger.valueOf(7).shiftLeft(248).add(BigInteger.valueOf(3));
        BigInteger epoch = BigInteger.valueOf(8).shiftLeft(248).add(BigInteger.valueOf(3));
        BigInteger prep = BigInteger.valueOf(3).shiftLeft(248).add(BigInteger.ONE);
        BigInteger key = BigInteger.valueOf(4).shiftLeft(248).add(BigInteger.ONE);
        BigInteger crs = BigInteger.valueOf(5).shiftLeft(248).add(BigInteger.ONE);
        stub.newMpcContext(ContextRequests.newMpcContext(ctx, ProtocolConfigCalls.oneNodeContext("v1")));
        stub.crsGen(KeyManagementRequests.crsGen(crs, BigInteger.valueOf(1024), "Test", PROTOCOL_CONFIG, new byte[0]));
        List<KeyDigest> digests = List.of(new KeyDigest(KeyDigest.Type.Server, new byte[] {1}));
        stub.newMpcEpoch(ContextRequests.newMpcEpoch(ctx, epoch, ctx, epoch.subtract(BigInteger.ONE),
                List.of(new KmsGenerationViews.KeyInfo(prep, key, 0, digests)),
                List.of(new ContextRequests.Crs(crs, new byte[] {2})), PROTOCOL_CONFIG));
        byte[] extra = ContextRequests.extraDataV2(ctx, epoch);
        byte[] separator = Eip712.domainSeparator("ProtocolConfig", "1", 1, DOMAIN.verifyingContract());

        EpochResultResponse result = stub.getEpochResult(id(epoch));
        KeyGenResult reshared = result.getReshareResponses(0);
        assertEquals(id(key), reshared.getRequestId());
        assertEquals(id(prep), reshared.getPreprocessingId());
        assertEquals(SIGNER_ADDRESS, Eip712.recover(Eip712.digest(separator, Eip712.keygenStructHash(prep, key,
                digests, extra)), reshared.getExternalSignature().toByteArray()));
        CrsGenResult crsResult = result.getCrsResponses(0);
        assertEquals(1024, crsResult.getMaxNumBits(), "known from the CRS's generation");
        assertEquals(SIGNER_ADDRESS, Eip712.recover(Eip712.digest(separator, Eip712.crsgenStructHash(crs,
                BigInteger.valueOf(1024), new byte[] {2}, extra)), crsResult.getExternalSignature().toByteArray()));

        stub.destroyMpcEpoch(DestroyMpcEpochRequest.newBuilder().setEpochId(id(epoch)).build());
        assertEquals(Status.Code.NOT_FOUND, codeOf(() -> stub.destroyMpcEpoch(
                DestroyMpcEpochRequest.newBuilder().setEpochId(id(epoch)).build())));
    }

    /** A key from a preprocessing: its digests signed as KeygenVerification; aborting the preprocessing aborts it. */
    @Test
    void keysAreGeneratedFromTheirPreprocessingSignedAndAbortedWithIt() {
        DecryptionRequests.Domain kmsGeneration = new DecryptionRequests.Domain("KMSGeneration", "1", 1, DOMAIN.verifyingContract());
        BigInteger prep = BigInteger.valueOf(3).shiftLeft(248).add(BigInteger.TWO);
        BigInteger key = BigInteger.valueOf(4).shiftLeft(248).add(BigInteger.ONE);
        byte[] extra = new byte[65];
        extra[0] = 2;
        KeyGenRequest req = KeyManagementRequests.keyGen(key, prep, kmsGeneration, extra);
        assertEquals(Status.Code.NOT_FOUND, codeOf(() -> stub.keyGen(req)), "no preprocessing yet");
        stub.keyGenPreproc(KeyManagementRequests.keyGenPreproc(prep, "Test", kmsGeneration, extra));
        stub.keyGen(req);
        assertEquals(Status.Code.ALREADY_EXISTS, codeOf(() -> stub.keyGen(req)));

        KeyGenResult result = stub.getKeyGenResult(id(key));
        assertEquals(id(prep), result.getPreprocessingId());
        List<KeyDigest> digests = result.getKeyDigestsList().stream()
                .map(d -> new KeyDigest(KeyDigest.Type.fromKms(d.getKeyType()), d.getDigest().toByteArray())).toList();
        assertEquals(List.of(KeyDigest.Type.CompressedKeySet, KeyDigest.Type.Public),
                digests.stream().map(KeyDigest::type).toList());
        byte[] digest = Eip712.digest(Eip712.domainSeparator("KMSGeneration", "1", 1, DOMAIN.verifyingContract()),
                Eip712.keygenStructHash(prep, key, digests, extra));
        assertEquals(SIGNER_ADDRESS, Eip712.recover(digest, result.getExternalSignature().toByteArray()));

        stub.abortKeyGen(id(prep));
        assertEquals(Status.Code.ABORTED, codeOf(() -> stub.getKeyGenResult(id(key))));
    }

    @Test
    void crsAreSignedAsCrsgenVerificationAndCanBeAborted() {
        DecryptionRequests.Domain kmsGeneration = new DecryptionRequests.Domain("KMSGeneration", "1", 1, DOMAIN.verifyingContract());
        BigInteger crs = BigInteger.valueOf(5).shiftLeft(248).add(BigInteger.ONE);
        byte[] extra = {0};
        stub.crsGen(KeyManagementRequests.crsGen(crs, BigInteger.valueOf(2048), "Default", kmsGeneration, extra));
        CrsGenResult result = stub.getCrsGenResult(id(crs));
        assertEquals(2048, result.getMaxNumBits());
        byte[] digest = Eip712.digest(Eip712.domainSeparator("KMSGeneration", "1", 1, DOMAIN.verifyingContract()),
                Eip712.crsgenStructHash(crs, BigInteger.valueOf(2048), result.getCrsDigest().toByteArray(), extra));
        assertEquals(SIGNER_ADDRESS, Eip712.recover(digest, result.getExternalSignature().toByteArray()));
        stub.abortCrsGen(id(crs));
        assertEquals(Status.Code.ABORTED, codeOf(() -> stub.getCrsGenResult(id(crs))));
    }

    private static RequestId id(BigInteger value) {
        return DecryptionRequests.requestId(value);
    }

    private static void assertInvalid(Supplier<?> call) {
        assertEquals(Status.Code.INVALID_ARGUMENT, codeOf(call));
    }

    private static Status.Code codeOf(Supplier<?> call) {
        return assertThrows(StatusRuntimeException.class, call::get).getStatus().getCode();
    }
}
