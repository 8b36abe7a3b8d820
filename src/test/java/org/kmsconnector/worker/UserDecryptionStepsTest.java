package org.kmsconnector.worker;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Eip712;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.db.Operations;
import org.kmsconnector.db.RequestWrites;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.kms.v1.UserDecryptionResponse;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.kmsconnector.worker.auth.Refusal;
import org.kmsconnector.worker.job.UserDecryptionJob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user-decryption steps (parse, check, send, poll, outcome) on real rows claimed with the
 * worker's SQL, against real ciphertexts in S3Mock, the coprocessor registry on anvil and the
 * KMS Core double over gRPC. The authorisation and context checks are test stand-ins whose
 * answers each test sets, since the steps only call them.
 */
@UsesRealParts
class UserDecryptionStepsTest {
    private static final byte[] USER = Hex.decode(DevAccounts.USER.getAddress());
    private static final byte[] KEY = {0x11, 0x22, 0x33, 0x44};
    private static final byte[] EXTRA_V1 = Hex.decode("01" + "00".repeat(31) + "09");
    private static WorkerFixture fx;

    private final AtomicReference<Optional<Refusal>> authorization = new AtomicReference<>(Optional.empty());
    private final AtomicReference<Optional<Refusal>> context = new AtomicReference<>(Optional.empty());
    private final List<UserDecryptionJob> authorized = new ArrayList<>();
    private ConnectorMetrics metrics;
    private OperationProcessor<UserDecryptionJob, UserDecryptionResponse> processor;
    private OperationOutcomes outcomes;

    @BeforeAll
    static void start() throws Exception {
        fx = new WorkerFixture("worker_user_steps");
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @BeforeEach
    void steps() {
        metrics = ConnectorMetrics.inMemory();
        UserDecryptionFlow flow = new UserDecryptionFlow(job -> {
            authorized.add(job);
            return authorization.get();
        }, extra -> context.get(), fx.ciphertexts, fx.kmsClient, fx.domain);
        processor = new OperationProcessor<>(flow, new RequestWrites(fx.dataSource, Operations.USER_DECRYPTION),
                metrics);
        outcomes = outcomes(3);
    }

    /** Claims every pending user request and runs each through the route's steps. */
    private void runOnce() throws Exception {
        fx.runOnce(processor, outcomes);
    }

    private OperationOutcomes outcomes(int maxAttempts) {
        return new OperationOutcomes(new RequestWrites(fx.dataSource, Operations.USER_DECRYPTION), maxAttempts,
                metrics);
    }

    @Test
    void aLegacyRequestEndsWithTheSignedShareStoredAsTheKmsSignedIt() throws Exception {
        List<byte[]> handles = List.of(fx.publishCiphertext(5), fx.publishCiphertext(0));
        BigInteger id = WorkerFixture.userId();
        fx.insertLegacy(id, handles, USER, KEY, new byte[] {0});
        runOnce();

        assertEquals("completed", fx.column("user_decryption_requests", id, "status::text"));
        assertEquals("pending", fx.column("user_decryption_responses", id, "status::text"), "for the tx-sender");
        assertSignedShare(id, handles, new byte[0]);
        assertEquals(1, fx.kmsCalls("UserDecrypt", id));
        assertTrue(authorized.get(0).unified().isEmpty(), "the authorizer sees the legacy variant");
        assertArrayEquals(new byte[32], authorized.get(0).txHash());
    }

    @Test
    void aUnifiedRequestReachesTheAuthorizerWithItsPayloadAndEndsCompleted() throws Exception {
        List<byte[]> handles = List.of(fx.publishCiphertext(4), fx.publishCiphertext(8));
        byte[] contract = Hex.decode("00000000000000000000000000000000000c0ffe");
        BigInteger id = WorkerFixture.userId();
        fx.insertUnified(id, handles, USER, KEY, EXTRA_V1, List.of(USER, USER), List.of(contract, contract),
                List.of(contract), 1_700_000_000L, 3600, new byte[65]);
        runOnce();

        assertEquals("completed", fx.column("user_decryption_requests", id, "status::text"));
        assertEquals("0", fx.column("user_decryption_requests", id, "error_counter::text"));
        assertSignedShare(id, handles, EXTRA_V1);
        UserDecryptionJob.Unified unified = authorized.get(0).unified().orElseThrow();
        assertEquals(1_700_000_000L, unified.startTimestamp());
        assertArrayEquals(contract, unified.contractAddresses().get(1));
        assertEquals(1, unified.allowedContracts().size());
        assertArrayEquals(EXTRA_V1, fx.bytes("user_decryption_responses", id, "extra_data"),
                "the reply's extra_data, context included");
    }

    @Test
    void aRecoverableRefusalPutsTheRequestBackWithoutAskingTheKmsThenFailsAtTheLimit() throws Exception {
        BigInteger id = WorkerFixture.userId();
        fx.insertLegacy(id, List.of(fx.publishCiphertext(5)), USER, KEY, new byte[0]);
        authorization.set(Optional.of(Refusal.recoverable("acl", "the ACL does not allow the user yet")));
        runOnce();

        assertEquals("pending", fx.column("user_decryption_requests", id, "status::text"));
        assertEquals("1", fx.column("user_decryption_requests", id, "error_counter::text"));
        assertEquals("the ACL does not allow the user yet", fx.column("user_decryption_requests", id, "last_error"));
        assertEquals(1.0, metrics.count(Metrics.WORKER_CHECK_ERRORS, "check_type", "acl"));
        runOnce();
        runOnce(); // max_decryption_attempts is 3 here
        assertEquals("failed", fx.column("user_decryption_requests", id, "status::text"));
        assertEquals(3, authorized.size(), "the authorisation re-runs on every attempt");
        assertEquals(0, fx.kmsCalls("UserDecrypt", id));
        assertNull(fx.column("user_decryption_responses", id, "status::text"));
    }

    @Test
    void anIrrecoverableRefusalFailsAtOnce() throws Exception {
        BigInteger id = WorkerFixture.userId();
        fx.insertLegacy(id, List.of(fx.publishCiphertext(5)), USER, KEY, new byte[0]);
        authorization.set(Optional.of(Refusal.irrecoverable("signature", "the user's signature is not valid")));
        runOnce();

        assertEquals("failed", fx.column("user_decryption_requests", id, "status::text"));
        assertEquals("the user's signature is not valid", fx.column("user_decryption_requests", id, "last_error"));
        assertEquals(1.0, metrics.count(Metrics.WORKER_CHECK_ERRORS, "check_type", "signature"));
        assertEquals(0, fx.kmsCalls("UserDecrypt", id));
    }

    @Test
    void aContextRefusalStopsTheRequestBeforeTheAuthorizer() throws Exception {
        BigInteger id = WorkerFixture.userId();
        fx.insertLegacy(id, List.of(fx.publishCiphertext(5)), USER, KEY, EXTRA_V1);
        context.set(Optional.of(Refusal.irrecoverable("kms_context", "KMS context 9 was destroyed")));
        runOnce();

        assertEquals("failed", fx.column("user_decryption_requests", id, "status::text"));
        assertEquals("KMS context 9 was destroyed", fx.column("user_decryption_requests", id, "last_error"));
        assertEquals(1.0, metrics.count(Metrics.WORKER_CHECK_ERRORS, "check_type", "kms_context"));
        assertTrue(authorized.isEmpty());
        assertEquals(0, fx.kmsCalls("UserDecrypt", id));
    }

    @Test
    void checksRunAgainOnARetryOfARequestTheKmsAlreadyHas() throws Exception {
        BigInteger id = WorkerFixture.userId();
        fx.insertLegacy(id, List.of(fx.publishCiphertext(5)), USER, KEY, new byte[0]);
        outcomes = outcomes(20);
        fx.kmsCore.failNext("GetUserDecryptionResult", io.grpc.Status.Code.UNAVAILABLE, 3);
        runOnce();
        assertEquals("pending", fx.column("user_decryption_requests", id, "status::text"));
        assertEquals("true", fx.column("user_decryption_requests", id, "already_sent::text"));

        authorization.set(Optional.of(Refusal.recoverable("acl", "permission revoked")));
        runOnce();
        assertEquals("permission revoked", fx.column("user_decryption_requests", id, "last_error"));
        authorization.set(Optional.empty());
        runOnce();
        assertEquals("completed", fx.column("user_decryption_requests", id, "status::text"));
        assertEquals(1, fx.kmsCalls("UserDecrypt", id), "a retry only polls");
    }

    @Test
    void requestsThatCanNeverBeServedFailWithTheirReasonBeforeAnyKmsCall() throws Exception {
        byte[] handle = fx.publishCiphertext(5);
        BigInteger noHandles = WorkerFixture.userId();
        fx.insertLegacy(noHandles, null, USER, KEY, new byte[0]);
        BigInteger badExtra = WorkerFixture.userId();
        fx.insertLegacy(badExtra, List.of(handle), USER, KEY, new byte[] {3, 1});
        BigInteger misaligned = WorkerFixture.userId();
        fx.insertUnified(misaligned, List.of(handle), USER, KEY, new byte[0], List.of(USER, USER), List.of(USER),
                List.of(), 1, 1, new byte[0]);
        runOnce();

        assertEquals("failed", fx.column("user_decryption_requests", noHandles, "status::text"));
        assertEquals("the request has no ciphertext handle",
                fx.column("user_decryption_requests", noHandles, "last_error"));
        assertEquals("failed", fx.column("user_decryption_requests", badExtra, "status::text"));
        assertTrue(fx.column("user_decryption_requests", badExtra, "last_error").startsWith("bad extra_data"));
        assertEquals("failed", fx.column("user_decryption_requests", misaligned, "status::text"));
        assertTrue(fx.column("user_decryption_requests", misaligned, "last_error")
                .contains("handle_owner_addresses has 2 entries for 1 handles"));
        for (BigInteger id : List.of(noHandles, badExtra, misaligned)) {
            assertEquals(0, fx.kmsCalls("UserDecrypt", id));
        }
        assertTrue(authorized.isEmpty());
    }

    @Test
    void aReplyWithoutPayloadIsAFailure() {
        UserDecryptionFlow flow = new UserDecryptionFlow(job -> Optional.empty(), extra -> Optional.empty(),
                fx.ciphertexts, fx.kmsClient, fx.domain);
        Outcome outcome = flow.toResponse(null, UserDecryptionResponse.getDefaultInstance());
        assertEquals(Outcome.Kind.FAILED, outcome.kind());
        assertEquals("the KMS Core answered without a payload", outcome.reason());
    }

    /**
     * The stored share is what the KMS signed: its signature recovers to the KMS signer over
     * UserDecryptResponseVerification(public key, handles, share, extraData) under the
     * Decryption domain, exactly as the Gateway checks it.
     */
    private static void assertSignedShare(BigInteger id, List<byte[]> handles, byte[] signedExtra) throws Exception {
        byte[] share = fx.bytes("user_decryption_responses", id, "user_decrypted_shares");
        byte[] signature = fx.bytes("user_decryption_responses", id, "signature");
        byte[] extra = fx.bytes("user_decryption_responses", id, "extra_data");
        assertArrayEquals(signedExtra, extra);
        byte[] digest = Eip712.digest(Eip712.domainSeparator("Decryption", "1", TestInfra.CHAIN_ID,
                fx.gateway.decryption()), Eip712.userDecryptResponseStructHash(KEY, handles, share, extra));
        assertEquals(DevAccounts.KMS_SIGNER.getAddress().toLowerCase(), Eip712.recover(digest, signature).toLowerCase());
        // bincode: u64 LE length of the verification key (a 33-byte compressed point) leads the share
        assertEquals(33, ByteBuffer.wrap(share, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
    }
}
