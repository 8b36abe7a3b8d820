package org.kmsconnector.worker.ciphertext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.devnet.CiphertextPublisher;
import org.kmsconnector.devnet.S3MockServer;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.kmsconnector.worker.ciphertext.CoprocessorFixture.Copro;
import org.kmsconnector.worker.ciphertext.CoprocessorRegistry.Snapshot;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;

/** Three coprocessors on S3Mock buckets copro-a/b/c, registered on anvil with a threshold of 2. */
@UsesRealParts
class CiphertextResolverTest {
    private static final BigInteger KEY_ID = new BigInteger("0400000000000000000000000000000000000000000000000000000000000007", 16);
    private static final S3Settings SETTINGS = new S3Settings(2, Duration.ofSeconds(2), Duration.ofSeconds(3),
            Duration.ofSeconds(5), 8, 4, 1 << 20);

    private static Web3j web3j;
    private static List<Copro> copros;
    private static CoprocessorRegistry registry;

    @BeforeAll
    static void registerCoprocessors() throws Exception {
        S3MockServer s3 = TestInfra.s3();
        copros = List.of(CoprocessorFixture.copro(s3.bucketUrl("copro-a")),
                CoprocessorFixture.copro(s3.bucketUrl("copro-b")), CoprocessorFixture.copro(s3.bucketUrl("copro-c")));
        web3j = Web3jClients.create(TestInfra.anvil().url(), Duration.ofSeconds(10));
        registry = new CoprocessorRegistry(web3j, CoprocessorFixture.deployRegistry(copros, 2), Optional.empty());
        registry.load();
    }

    @AfterAll
    static void disconnect() {
        web3j.shutdown();
    }

    private static CiphertextResolver resolver() {
        return new CiphertextResolver(registry::snapshot, SETTINGS, ok -> { });
    }

    private static Copro copro(int i) {
        return copros.get(i);
    }

    @Test
    void agreedCiphertextComesBackWithItsTypeFormatAndKeyId() throws Exception {
        byte[] handle = CoprocessorFixture.newHandle(5);
        byte[] body = CoprocessorFixture.body(5000);
        CoprocessorFixture.publishAll(copros, handle, body, KEY_ID, 11);
        List<Boolean> seen = new CopyOnWriteArrayList<>();
        CiphertextResolver resolver = new CiphertextResolver(registry::snapshot, SETTINGS, seen::add);

        ResolvedCiphertexts r = resolver.resolve(List.of(new Handle(handle)));

        assertEquals(KEY_ID, r.keyId());
        ResolvedCiphertexts.Item item = r.items().get(0);
        assertArrayEquals(body, item.ciphertext());
        assertArrayEquals(handle, item.handle().bytes());
        assertEquals(5, item.fheType());
        assertEquals(11, item.formatCode());
        assertTrue(item.compressed());
        assertEquals(List.of(true), seen);
        assertEquals(1, resolver.retrievals());
        assertEquals(0, resolver.retrievalErrors());
    }

    @Test
    void itemsComeBackInRequestOrder() throws Exception {
        List<Handle> handles = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int type : new int[] {8, 0, 2}) {
            byte[] handle = CoprocessorFixture.newHandle(type);
            byte[] body = CoprocessorFixture.body(100 + type);
            CoprocessorFixture.publishAll(copros, handle, body, KEY_ID, 10);
            handles.add(new Handle(handle));
            bodies.add(body);
        }

        ResolvedCiphertexts r = resolver().resolve(handles);

        for (int i = 0; i < handles.size(); i++) {
            assertEquals(handles.get(i), r.items().get(i).handle());
            assertArrayEquals(bodies.get(i), r.items().get(i).ciphertext());
            assertEquals(10, r.items().get(i).formatCode());
            assertFalse(r.items().get(i).compressed());
        }
    }

    @Test
    void twoOfThreeAgreeingOutvoteADivergentBucket() throws Exception {
        byte[] handle = CoprocessorFixture.newHandle(4);
        byte[] good = CoprocessorFixture.body(700);
        CoprocessorFixture.publishAll(copros.subList(0, 2), handle, good, KEY_ID, 21);
        CiphertextPublisher.publish(copro(2).bucketUrl(), handle, CoprocessorFixture.body(700), copro(2).signer(),
                KEY_ID, 21);

        ResolvedCiphertexts r = resolver().resolve(List.of(new Handle(handle)));

        assertArrayEquals(good, r.items().get(0).ciphertext());
        assertEquals(21, r.items().get(0).formatCode());
    }

    @Test
    void bodyNotMatchingTheAgreedDigestIsRecoverable() throws Exception {
        byte[] handle = CoprocessorFixture.newHandle(5);
        byte[] attested = CoprocessorFixture.body(400);
        for (Copro p : copros) { // all agree on a digest that no stored body has
            CiphertextPublisher.publish(p.bucketUrl(), handle, CoprocessorFixture.body(400),
                    CiphertextPublisher.attest(handle, Hash.sha3(attested), p.signer(), KEY_ID, 11));
        }
        CiphertextResolver resolver = resolver();

        CiphertextException e = assertThrows(CiphertextException.class,
                () -> resolver.resolve(List.of(new Handle(handle))));

        assertTrue(e.recoverable());
        assertEquals(CiphertextException.COPRO_CONSENSUS, e.checkType());
        assertEquals(0, resolver.retrievals());
        // every round tries every bucket known to agree: 2 or 3 of them, as the vote may settle before the third HEAD
        long errors = resolver.retrievalErrors();
        assertEquals(0, errors % SETTINGS.retrievalAttempts(), "errors: " + errors);
        long buckets = errors / SETTINGS.retrievalAttempts();
        assertTrue(buckets == 2 || buckets == 3, "errors: " + errors);
    }

    @Test
    void handleNobodyStoredIsRecoverable() {
        CiphertextException e = assertThrows(CiphertextException.class,
                () -> resolver().resolve(List.of(new Handle(CoprocessorFixture.newHandle(5)))));
        assertTrue(e.recoverable());
        assertEquals(CiphertextException.COPRO_CONSENSUS, e.checkType());
    }

    @Test
    void attestationsFromUnregisteredOrForgedSignersDoNotVote() throws Exception {
        byte[] handle = CoprocessorFixture.newHandle(5);
        byte[] body = CoprocessorFixture.body(300);
        ECKeyPair stranger = CoprocessorFixture.key();
        // a: an honest signature by a key the registry does not know
        CiphertextPublisher.publish(copro(0).bucketUrl(), handle, body, stranger, KEY_ID, 11);
        // b: claims to be b's registered signer, but the stranger signed it
        Attestation claimed = CiphertextPublisher.attest(handle, Hash.sha3(body), copro(1).signer(), KEY_ID, 11);
        byte[] forged = CiphertextPublisher.sign(claimed.canonicalMessage(handle), stranger);
        CiphertextPublisher.publish(copro(1).bucketUrl(), handle, body, CiphertextPublisher.withSignature(claimed, forged));
        // c: genuine, but one vote is below the threshold of 2
        CiphertextPublisher.publish(copro(2).bucketUrl(), handle, body, copro(2).signer(), KEY_ID, 11);

        CiphertextException e = assertThrows(CiphertextException.class,
                () -> resolver().resolve(List.of(new Handle(handle))));

        assertTrue(e.recoverable());
        assertEquals(CiphertextException.COPRO_CONSENSUS, e.checkType());
        assertTrue(e.getMessage().contains("2 dropped"), e.getMessage());
    }

    @Test
    void handlesAttestedUnderDifferentKeysAreIrrecoverable() throws Exception {
        byte[] first = CoprocessorFixture.newHandle(5);
        byte[] second = CoprocessorFixture.newHandle(5);
        CoprocessorFixture.publishAll(copros, first, CoprocessorFixture.body(100), KEY_ID, 11);
        CoprocessorFixture.publishAll(copros, second, CoprocessorFixture.body(100), KEY_ID.add(BigInteger.ONE), 11);

        CiphertextException e = assertThrows(CiphertextException.class,
                () -> resolver().resolve(List.of(new Handle(first), new Handle(second))));

        assertFalse(e.recoverable());
    }

    @Test
    void invalidFheTypeIsIrrecoverable() {
        CiphertextException e = assertThrows(CiphertextException.class,
                () -> resolver().resolve(List.of(new Handle(CoprocessorFixture.newHandle(84)))));
        assertFalse(e.recoverable());
    }

    @Test
    void noHandlesIsRecoverable() {
        CiphertextException e = assertThrows(CiphertextException.class, () -> resolver().resolve(List.of()));
        assertTrue(e.recoverable());
    }

    @Test
    void bodyAboveTheCeilingIsRefusedAndOneAtTheCeilingAccepted() throws Exception {
        S3Settings small = new S3Settings(1, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5),
                8, 4, 1000);
        CiphertextResolver resolver = new CiphertextResolver(registry::snapshot, small, ok -> { });
        byte[] atCeiling = CoprocessorFixture.newHandle(5);
        byte[] atCeilingBody = CoprocessorFixture.body(1000);
        CoprocessorFixture.publishAll(copros, atCeiling, atCeilingBody, KEY_ID, 11);
        byte[] tooBig = CoprocessorFixture.newHandle(5);
        CoprocessorFixture.publishAll(copros, tooBig, CoprocessorFixture.body(4000), KEY_ID, 11);

        assertArrayEquals(atCeilingBody, resolver.resolve(List.of(new Handle(atCeiling))).items().get(0).ciphertext());
        CiphertextException e = assertThrows(CiphertextException.class,
                () -> resolver.resolve(List.of(new Handle(tooBig))));
        assertTrue(e.recoverable());
        assertEquals(CiphertextException.COPRO_CONSENSUS, e.checkType());
        assertTrue(e.getMessage().contains("exceeds 1000"), e.getMessage());
    }

    @Test
    void streamedBodyWithoutContentLengthIsCutAtTheCeiling() throws Exception {
        ECKeyPair key = CoprocessorFixture.key();
        S3Settings small = new S3Settings(1, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5),
                8, 4, 1000);
        byte[] handle = CoprocessorFixture.newHandle(5);
        for (int size : new int[] {900, 4000}) {
            byte[] body = CoprocessorFixture.body(size);
            Attestation a = CiphertextPublisher.attest(handle, Hash.sha3(body), key, KEY_ID, 11);
            try (FakeBucket bucket = FakeBucket.chunked(a.toJson(), body)) {
                Snapshot only = new Snapshot(Set.of(a.signer()), List.of(bucket.url()), 1);
                CiphertextResolver resolver = new CiphertextResolver(() -> only, small, ok -> { });
                if (size <= 1000) {
                    assertArrayEquals(body, resolver.resolve(List.of(new Handle(handle))).items().get(0).ciphertext());
                } else {
                    CiphertextException e = assertThrows(CiphertextException.class,
                            () -> resolver.resolve(List.of(new Handle(handle))));
                    assertTrue(e.recoverable());
                    assertTrue(e.getMessage().contains("passed 1000"), e.getMessage());
                }
            }
        }
    }

    @Test
    void headThatNeverAnswersEndsAtItsTimeout() throws Exception {
        S3Settings quick = new S3Settings(1, Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(5),
                8, 4, 1 << 20);
        try (FakeBucket silent = FakeBucket.hanging()) {
            Snapshot snapshot = new Snapshot(registry.snapshot().signers(), List.of(silent.url()), 1);
            CiphertextResolver resolver = new CiphertextResolver(() -> snapshot, quick, ok -> { });
            long start = System.nanoTime();

            CiphertextException e = assertThrows(CiphertextException.class,
                    () -> resolver.resolve(List.of(new Handle(CoprocessorFixture.newHandle(5)))));

            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMs < 4000, "took " + elapsedMs + " ms");
            assertTrue(e.recoverable());
            assertEquals(CiphertextException.NETWORK, e.checkType());
            assertEquals(1, silent.requests.get());
        }
    }

    @Test
    void settledConsensusDoesNotWaitForASilentBucket() throws Exception {
        S3Settings patient = new S3Settings(1, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(5),
                8, 4, 1 << 20);
        byte[] handle = CoprocessorFixture.newHandle(5);
        byte[] body = CoprocessorFixture.body(200);
        CoprocessorFixture.publishAll(copros.subList(0, 2), handle, body, KEY_ID, 11);
        try (FakeBucket silent = FakeBucket.hanging()) {
            Snapshot snapshot = new Snapshot(registry.snapshot().signers(),
                    List.of(silent.url(), copro(0).bucketUrl(), copro(1).bucketUrl()), 2);
            long start = System.nanoTime();

            ResolvedCiphertexts r = new CiphertextResolver(() -> snapshot, patient, ok -> { }).resolve(List.of(new Handle(handle)));

            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertArrayEquals(body, r.items().get(0).ciphertext());
            assertTrue(elapsedMs < 10_000, "waited " + elapsedMs + " ms for a bucket whose vote could not matter");
        }
    }
}
