package org.kmsconnector.worker.ciphertext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kmsconnector.chain.Handle;

class CiphertextLimitsTest {
    @Test
    @Timeout(10)
    void limiterQueuesBeyondItsPermitsAndSkipsCancelledWaiters() {
        AsyncLimiter limiter = new AsyncLimiter(2);
        List<CompletableFuture<Integer>> work = new ArrayList<>();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        boolean[] started = new boolean[4];
        for (int i = 0; i < 4; i++) {
            CompletableFuture<Integer> w = new CompletableFuture<>();
            work.add(w);
            int n = i;
            results.add(limiter.submit(() -> {
                started[n] = true;
                return w;
            }));
        }
        assertArrayEquals(new boolean[] {true, true, false, false}, started);
        assertEquals(2, limiter.inFlight());

        results.get(2).cancel(true); // a waiter gives up: it must not take a permit when its turn comes
        work.get(0).complete(0);
        assertEquals(0, results.get(0).join());
        assertArrayEquals(new boolean[] {true, true, false, true}, started);
        assertEquals(2, limiter.inFlight());

        work.get(1).complete(1);
        work.get(3).complete(3);
        assertEquals(3, results.get(3).join());
        assertEquals(0, limiter.inFlight());
    }

    @Test
    @Timeout(10)
    void aTaskThatThrowsGivesItsPermitBack() {
        AsyncLimiter limiter = new AsyncLimiter(1);
        CompletableFuture<Integer> failed = limiter.submit(() -> {
            throw new IllegalStateException("boom");
        });
        assertTrue(failed.isCompletedExceptionally());
        assertEquals(7, limiter.submit(() -> CompletableFuture.completedFuture(7)).join());
        assertEquals(0, limiter.inFlight());
    }

    @Test
    @Timeout(20)
    void headsToOneBucketWaitForAPermit() throws Exception {
        S3Settings oneAtATime = new S3Settings(1, Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(1),
                1, 1, 1000);
        S3ObjectClient client = new S3ObjectClient(oneAtATime);
        Handle handle = new Handle(CoprocessorFixture.newHandle(5));
        try (FakeBucket silent = FakeBucket.hanging(); FakeBucket other = FakeBucket.hanging()) {
            long start = System.nanoTime();
            List<CompletableFuture<S3ObjectClient.Head>> heads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                heads.add(client.head(silent.url(), handle));
            }
            CompletableFuture<S3ObjectClient.Head> elsewhere = client.head(other.url(), handle);
            assertEquals(1, client.headsInFlight(silent.url()));
            assertEquals(1, client.headsInFlight(other.url()), "the ceiling is per bucket");

            S3ObjectClient.Head last = heads.get(2).join();
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(last.transportFailure());
            assertTrue(elapsedMs >= 850, "three 300 ms HEADs one after another took only " + elapsedMs + " ms");
            assertTrue(elsewhere.join().transportFailure());
            assertEquals(3, silent.requests.get());
        }
    }
}
