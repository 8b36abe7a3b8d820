package org.kmsconnector.worker.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kmsconnector.chain.Eip712;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.devnet.KmsCoreDouble;
import org.kmsconnector.kms.v1.PublicDecryptionRequest;
import org.kmsconnector.kms.v1.PublicDecryptionResponse;
import org.kmsconnector.kms.v1.TypedCiphertext;
import org.kmsconnector.kms.v1.UserDecryptionRequest;
import org.kmsconnector.kms.v1.UserDecryptionResponse;

/** The client against the double over real loopback gRPC. */
class KmsCoreClientTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private KmsCoreDouble core;
    private KmsCoreClient client;

    @BeforeEach
    void start() {
        core = KmsCoreDouble.start(0, SIGNER);
        client = client(3, Duration.ofMillis(5), core.endpoint());
    }

    @AfterEach
    void stop() {
        client.close();
        core.close();
    }

    private static KmsCoreClient client(int retries, Duration pollInterval, String... endpoints) {
        return new KmsCoreClient(List.of(endpoints), retries, pollInterval, DEADLINE, DEADLINE, DEADLINE);
    }

    @Test
    void publicDecryptionHappyPathGivesASignedResultTheContractWouldAccept() {
        BigInteger id = publicId(1);
        PublicDecryptionRequest request = publicRequest(id);

        SendOutcome sent = client.publicDecrypt(id, request);
        assertEquals(new SendOutcome(SendOutcome.Kind.OK, 0, null), sent);
        PollOutcome<PublicDecryptionResponse> polled = client.getPublicDecryptionResult(id);
        assertEquals(PollOutcome.Kind.OK, polled.kind());
        assertEquals(0, polled.failedAttempts());

        PublicDecryptionResponse reply = polled.value();
        byte[] decryptedResult = DecryptionResults.abiEncodePlaintexts(reply.getPayload().getPlaintextsList());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (TypedCiphertext ct : request.getCiphertextsList()) {
            expected.writeBytes(Uint256.toBigEndian(
                    KmsCoreDouble.expectedPlaintext(ct.getCiphertext().toByteArray(), ct.getFheType())));
        }
        assertArrayEquals(expected.toByteArray(), decryptedResult);
        assertEquals(request.getExtraData(), reply.getExtraData());
        assertEquals(request.getRequestId(), reply.getPayload().getRequestId());

        byte[] digest = Eip712.digest(
                Eip712.domainSeparator(DOMAIN.name(), DOMAIN.version(), DOMAIN.chainId(), DOMAIN.verifyingContract()),
                Eip712.publicDecryptStructHash(handles(request.getCiphertextsList()), decryptedResult,
                        request.getExtraData().toByteArray()));
        assertEquals(SIGNER_ADDRESS, Eip712.recover(digest, reply.getExternalSignature().toByteArray()));
        assertEquals(1, core.callCount("PublicDecrypt:" + requestId(id)));
        assertEquals(1, core.callCount("GetPublicDecryptionResult:" + requestId(id)));
    }

    @Test
    void userDecryptionSignatureCoversTheBincodeOfThePayload() {
        BigInteger id = userId(1);
        UserDecryptionRequest request = userRequest(id);

        assertTrue(client.userDecrypt(id, request).ok());
        PollOutcome<UserDecryptionResponse> polled = client.getUserDecryptionResult(id);
        assertEquals(PollOutcome.Kind.OK, polled.kind());

        UserDecryptionResponse reply = polled.value();
        assertEquals(request.getTypedCiphertextsCount(), reply.getPayload().getSigncryptedCiphertextsCount());
        byte[] digest = Eip712.digest(
                Eip712.domainSeparator(DOMAIN.name(), DOMAIN.version(), DOMAIN.chainId(), DOMAIN.verifyingContract()),
                Eip712.userDecryptResponseStructHash(request.getEncKey().toByteArray(),
                        handles(request.getTypedCiphertextsList()),
                        DecryptionResults.bincodeUserPayload(reply.getPayload()),
                        reply.getExtraData().toByteArray()));
        assertEquals(SIGNER_ADDRESS, Eip712.recover(digest, reply.getExternalSignature().toByteArray()));
    }

    @ParameterizedTest
    @EnumSource(value = Status.Code.class, names = {"DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED", "UNAVAILABLE", "UNKNOWN"})
    void retryableCodesAreRetriedAndCounted(Status.Code code) {
        BigInteger id = publicId(2);
        core.failNext("PublicDecrypt", code, 2);
        core.failNext("GetPublicDecryptionResult", code, 2);

        assertEquals(new SendOutcome(SendOutcome.Kind.OK, 2, null), client.publicDecrypt(id, publicRequest(id)));
        PollOutcome<PublicDecryptionResponse> polled = client.getPublicDecryptionResult(id);
        assertEquals(PollOutcome.Kind.OK, polled.kind());
        assertEquals(2, polled.failedAttempts());
        assertEquals(3, core.callCount("PublicDecrypt:" + requestId(id)));
        assertEquals(3, core.callCount("GetPublicDecryptionResult:" + requestId(id)));
    }

    @ParameterizedTest
    @EnumSource(value = Status.Code.class,
            names = {"INVALID_ARGUMENT", "NOT_FOUND", "FAILED_PRECONDITION", "INTERNAL", "ABORTED", "PERMISSION_DENIED"})
    void otherCodesOnSendAreIrrecoverableWithoutRetry(Status.Code code) {
        BigInteger id = publicId(3);
        core.failNext("PublicDecrypt", code, 1);

        SendOutcome sent = client.publicDecrypt(id, publicRequest(id));
        assertEquals(SendOutcome.Kind.IRRECOVERABLE, sent.kind());
        assertEquals(1, sent.failedAttempts());
        assertTrue(sent.message().contains(code.name()), sent.message());
        assertEquals(1, core.callCount("PublicDecrypt:" + requestId(id)));
    }

    @Test
    void aRealInvalidArgumentFromTheCoreIsIrrecoverable() {
        BigInteger id = publicId(4);
        PublicDecryptionRequest lowerCaseContract = publicRequest(id).toBuilder()
                .setDomain(DOMAIN.toMsg().toBuilder().setVerifyingContract(DOMAIN.verifyingContract().toLowerCase()))
                .build();
        SendOutcome sent = client.publicDecrypt(id, lowerCaseContract);
        assertEquals(SendOutcome.Kind.IRRECOVERABLE, sent.kind());
        assertTrue(sent.message().startsWith("PublicDecrypt INVALID_ARGUMENT"), sent.message());
    }

    @Test
    void pollOfAnUnknownIdIsIrrecoverable() {
        PollOutcome<PublicDecryptionResponse> polled = client.getPublicDecryptionResult(publicId(99));
        assertEquals(PollOutcome.Kind.IRRECOVERABLE, polled.kind());
        assertEquals(1, polled.failedAttempts());
        assertNull(polled.value());
        assertTrue(polled.message().contains("NOT_FOUND"), polled.message());
        assertEquals(1, core.callCount("GetPublicDecryptionResult:" + requestId(publicId(99))));
    }

    @Test
    void abortedOnPollIsReportedAsAborted() {
        BigInteger id = userId(5);
        assertTrue(client.userDecrypt(id, userRequest(id)).ok());
        core.failNext("GetUserDecryptionResult", Status.Code.UNAVAILABLE, 1);
        core.failNext("GetUserDecryptionResult", Status.Code.ABORTED, 1);

        PollOutcome<UserDecryptionResponse> polled = client.getUserDecryptionResult(id);
        assertEquals(PollOutcome.Kind.ABORTED, polled.kind());
        assertEquals(2, polled.failedAttempts());
        assertEquals(2, core.callCount("GetUserDecryptionResult:" + requestId(id)));
    }

    @Test
    void alreadyExistsOnSendCountsAsSuccess() {
        BigInteger id = publicId(6);
        assertTrue(client.publicDecrypt(id, publicRequest(id)).ok());
        core.failNext("PublicDecrypt", Status.Code.UNAVAILABLE, 1);

        SendOutcome again = client.publicDecrypt(id, publicRequest(id)); // the double answers ALREADY_EXISTS
        assertEquals(SendOutcome.Kind.OK, again.kind());
        assertEquals(1, again.failedAttempts());
        assertEquals(3, core.callCount("PublicDecrypt:" + requestId(id)));
    }

    @Test
    void exhaustedRetriesAreRecoverable() {
        BigInteger id = publicId(7);
        core.failNext("PublicDecrypt", Status.Code.UNAVAILABLE, 3);

        SendOutcome sent = client.publicDecrypt(id, publicRequest(id));
        assertEquals(SendOutcome.Kind.RECOVERABLE, sent.kind());
        assertEquals(3, sent.failedAttempts());
        assertEquals(3, core.callCount("PublicDecrypt:" + requestId(id)));
        assertTrue(client.publicDecrypt(id, publicRequest(id)).ok(), "the next attempt goes through");
    }

    @Test
    void aResultThatIsNotReadyIsRecoverable() {
        core.setResultDelay(Duration.ofHours(1));
        BigInteger id = publicId(8);
        assertTrue(client.publicDecrypt(id, publicRequest(id)).ok());

        PollOutcome<PublicDecryptionResponse> polled = client.getPublicDecryptionResult(id);
        assertEquals(PollOutcome.Kind.RECOVERABLE, polled.kind());
        assertEquals(3, polled.failedAttempts());
        assertTrue(polled.message().contains("UNAVAILABLE"), polled.message());
    }

    @Test
    void everyPollHasADeadlineAndAnExpiredOneIsRetryable() {
        core.setResultDelay(Duration.ofHours(1));
        core.setPollHold(Duration.ofSeconds(30)); // the core holds a pending poll, like its 60 s window
        try (KmsCoreClient impatient = new KmsCoreClient(List.of(core.endpoint()), 2, Duration.ZERO,
                DEADLINE, Duration.ofMillis(200), DEADLINE)) {
            BigInteger id = publicId(13);
            assertTrue(impatient.publicDecrypt(id, publicRequest(id)).ok());
            PollOutcome<PublicDecryptionResponse> polled = impatient.getPublicDecryptionResult(id);
            assertEquals(PollOutcome.Kind.RECOVERABLE, polled.kind());
            assertEquals(2, polled.failedAttempts());
            assertTrue(polled.message().contains("DEADLINE_EXCEEDED"), polled.message());
        }
    }

    @Test
    void aHeldPollReturnsTheResultAsSoonAsItIsReady() {
        core.setResultDelay(Duration.ofMillis(300));
        core.setPollHold(Duration.ofSeconds(30));
        BigInteger id = publicId(14);
        assertTrue(client.publicDecrypt(id, publicRequest(id)).ok());
        PollOutcome<PublicDecryptionResponse> polled = client.getPublicDecryptionResult(id);
        assertEquals(PollOutcome.Kind.OK, polled.kind());
        assertEquals(0, polled.failedAttempts());
        assertEquals(1, core.callCount("GetPublicDecryptionResult:" + requestId(id)));
    }

    @Test
    void zeroRetriesMeansNoCallAndRecoverable() {
        try (KmsCoreClient none = client(0, Duration.ZERO, core.endpoint())) {
            BigInteger id = publicId(9);
            assertEquals(SendOutcome.Kind.RECOVERABLE, none.publicDecrypt(id, publicRequest(id)).kind());
            PollOutcome<PublicDecryptionResponse> polled = none.getPublicDecryptionResult(id);
            assertEquals(PollOutcome.Kind.RECOVERABLE, polled.kind());
            assertEquals(0, polled.failedAttempts());
            assertEquals(0, core.totalCalls("PublicDecrypt") + core.totalCalls("GetPublicDecryptionResult"));
        }
    }

    @Test
    void pollWaitsThePollIntervalBetweenAttempts() {
        Duration interval = Duration.ofMillis(150);
        try (KmsCoreClient patient = client(3, interval, core.endpoint())) {
            BigInteger id = publicId(10);
            assertTrue(patient.publicDecrypt(id, publicRequest(id)).ok());
            core.failNext("GetPublicDecryptionResult", Status.Code.UNAVAILABLE, 2);

            long start = System.nanoTime();
            assertEquals(PollOutcome.Kind.OK, patient.getPublicDecryptionResult(id).kind());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(interval.multipliedBy(2)) >= 0,
                    "two pauses between three attempts");
        }
    }

    @Test
    void callsAreRoutedToShardIdModN() {
        try (KmsCoreDouble shard1 = KmsCoreDouble.start(0, SIGNER);
             KmsCoreClient sharded = client(3, Duration.ZERO, core.endpoint(), shard1.endpoint())) {
            BigInteger odd = publicId(11);   // (1<<248)+11 is odd → shard 1
            BigInteger even = publicId(12);  // → shard 0
            assertTrue(sharded.publicDecrypt(odd, publicRequest(odd)).ok());
            assertTrue(sharded.publicDecrypt(even, publicRequest(even)).ok());
            assertEquals(PollOutcome.Kind.OK, sharded.getPublicDecryptionResult(odd).kind());
            assertEquals(PollOutcome.Kind.OK, sharded.getPublicDecryptionResult(even).kind());

            assertEquals(1, shard1.callCount("PublicDecrypt:" + requestId(odd)));
            assertEquals(1, shard1.callCount("GetPublicDecryptionResult:" + requestId(odd)));
            assertEquals(0, core.callCount("PublicDecrypt:" + requestId(odd)));
            assertEquals(1, core.callCount("PublicDecrypt:" + requestId(even)));
            assertEquals(1, core.callCount("GetPublicDecryptionResult:" + requestId(even)));
            assertEquals(0, shard1.callCount("PublicDecrypt:" + requestId(even)));
        }
    }

    @Test
    void shardIsTheFull256BitIdModNNotTheCounter() {
        try (KmsCoreClient three = client(1, Duration.ZERO, "http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3")) {
            // 2^248 ≡ 1 (mod 3), so (1<<248)+1 goes to shard 2 while its counter alone would say 1
            assertEquals(2, three.shardOf(publicId(1)));
            assertEquals(0, three.shardOf(publicId(2)));
            assertEquals(0, three.shardOf(BigInteger.ZERO));
            assertThrows(IllegalArgumentException.class, () -> three.shardOf(BigInteger.valueOf(-1)));
        }
    }

    @Test
    void healthIsTrueWhileEveryShardAnswersAndFalseOnceOneIsGone() {
        KmsCoreDouble other = KmsCoreDouble.start(0, SIGNER);
        try (KmsCoreClient both = client(1, Duration.ZERO, core.endpoint(), other.endpoint())) {
            assertTrue(both.healthy(Duration.ofSeconds(3)));
            other.close();
            assertFalse(both.healthy(Duration.ofSeconds(3)));
        } finally {
            other.close();
        }
    }

    @Test
    void endpointsMustBeHttpOrHttps() {
        assertThrows(IllegalArgumentException.class, () -> client(1, Duration.ZERO, "grpc://127.0.0.1:1"));
        assertThrows(IllegalArgumentException.class, () -> client(1, Duration.ZERO, "127.0.0.1:50051"));
        assertThrows(IllegalArgumentException.class, () -> client(1, Duration.ZERO));
        try (KmsCoreClient tls = client(1, Duration.ZERO, "https://kms.example:50051", "http://[::1]:50051")) {
            assertEquals(2, tls.shardCount());
        }
    }

    private static List<byte[]> handles(List<TypedCiphertext> cts) {
        return cts.stream().map(ct -> ct.getExternalHandle().toByteArray()).toList();
    }
}
