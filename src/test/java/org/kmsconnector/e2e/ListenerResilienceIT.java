package org.kmsconnector.e2e;

import java.math.BigInteger;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.devnet.LocalPipeline;
import org.kmsconnector.devnet.ServiceProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gw-listener as an operator runs it, from the built jar: several listeners on one database
 * store each event once and lose none when one of them is killed; a listener that was down
 * catches up from the checkpoint; a broken node stops it after max_consecutive_polling_errors
 * with exit code 1; a start block that cannot be read stops it at once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ListenerResilienceIT {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static LocalPipeline pipeline;
    private static final List<BigInteger> emitted = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startPipeline() throws Exception {
        pipeline = LocalPipeline.start(PipelineRows.serverUrl(), "kmsc_it_listeners_" + ProcessHandle.current().pid(),
                Files.createTempDirectory("kmsc-it-listeners-"), 54322);
    }

    @AfterAll
    static void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(1)
    void twoListenersStoreEveryEventOnceAndLoseNoneWhenOneIsKilled() throws Exception {
        ServiceProcess a = listener("gw-listener-a", Map.of());
        ServiceProcess b = listener("gw-listener-b", Map.of());
        pipeline.awaitListenerPolling(Duration.ofSeconds(90));

        CompletableFuture<Void> dapp = CompletableFuture.runAsync(() -> emit(30, Duration.ofMillis(100)));
        awaitCount(10, Instant.now().plusSeconds(60));
        a.kill(); // SIGKILL mid-stream: b goes on alone
        dapp.join();

        awaitAllStored(Instant.now().plusSeconds(60));
        assertTrue(b.isAlive(), b.output());
        assertEquals(30, emitted.size());
    }

    @Test
    @Order(2)
    void eventsEmittedWhileNoListenerRunsAreStoredAfterTheRestart() throws Exception {
        for (ServiceProcess s : pipeline.services()) {
            s.kill();
        }
        long checkpoint = checkpoint();
        emit(12, Duration.ZERO);
        assertEquals(checkpoint, checkpoint(), "nobody polls");

        listener("gw-listener-c", Map.of());
        awaitAllStored(Instant.now().plusSeconds(60));
        assertEquals(42, emitted.size());
    }

    @Test
    @Order(3)
    void aBrokenNodeStopsTheListenerWithExitCodeOneAfterTheErrorBudget() throws Exception {
        ServiceProcess broken = listener("gw-listener-broken", Map.of(
                "KMS_CONNECTOR_GATEWAY_URL", "http://127.0.0.1:1",
                "KMS_CONNECTOR_DECRYPTION_FROM_BLOCK_NUMBER", "1",
                "KMS_CONNECTOR_MAX_CONSECUTIVE_POLLING_ERRORS", "4",
                "KMS_CONNECTOR_DECRYPTION_POLLING", "100ms",
                "KMS_CONNECTOR_POLLING_BACKOFF_MAX", "400ms"));
        assertEquals(1, broken.waitForExit(90), broken.output());
        String log = broken.output();
        assertTrue(log.contains("Polling decryption failed (3 in a row, limit 4)"), log);
        assertTrue(log.contains("Stopping the service: polling decryption failed 4 times in a row"
                + " (max_consecutive_polling_errors)"), log);
    }

    @Test
    @Order(4)
    void aStartBlockThatCannotBeReadStopsTheListenerAtOnce() throws Exception {
        try (DevDatabase fresh = DevDatabase.create(PipelineRows.serverUrl(), "kmsc_it_nostart_" + ProcessHandle.current().pid())) {
            ServiceProcess noStart = listener("gw-listener-nostart", Map.of(
                    "KMS_CONNECTOR_DATABASE_URL", fresh.url(),
                    "KMS_CONNECTOR_GATEWAY_URL", "http://127.0.0.1:1",
                    "KMS_CONNECTOR_MAX_CONSECUTIVE_POLLING_ERRORS", "20"));
            assertEquals(1, noStart.waitForExit(90), noStart.output());
            String log = noStart.output();
            assertTrue(log.contains("Stopping the service: polling decryption cannot start: cannot read the Gateway"
                    + " head to start from"), log);
            assertTrue(!log.contains("in a row"), "no retries without a start block:\n" + log);
        }
    }

    private static ServiceProcess listener(String name, Map<String, String> env) throws Exception {
        return pipeline.startService(ServiceProcess.connectorJar(), "gw-listener", env, name);
    }

    /** A dapp asking for public decryptions, one transaction (and block) each. */
    private static void emit(int n, Duration pause) {
        try {
            for (int i = 0; i < n; i++) {
                byte[] handle = new byte[32];
                RANDOM.nextBytes(handle);
                emitted.add(pipeline.requestPublicDecryption(List.of(handle), new byte[0]));
                if (!pause.isZero()) {
                    Thread.sleep(pause.toMillis());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitAllStored(Instant deadline) throws Exception {
        awaitCount(emitted.size(), deadline);
        assertEquals(emitted.size(), count("SELECT count(*) FROM public_decryption_requests"), "each event once");
        for (BigInteger id : emitted) {
            try (Connection c = pipeline.database().open(); PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM public_decryption_requests WHERE decryption_id = ?")) {
                ps.setBytes(1, Uint256.toLittleEndian(id));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(1, rs.getLong(1), "request " + id);
                }
            }
        }
    }

    private static void awaitCount(int expected, Instant deadline) throws Exception {
        long n = 0;
        while (Instant.now().isBefore(deadline)) {
            n = count("SELECT count(*) FROM public_decryption_requests");
            if (n >= expected) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("stored " + n + " of " + expected + " events\n" + new PipelineRows(pipeline).logs());
    }

    private static long checkpoint() throws Exception {
        return count("SELECT block_number FROM last_block_polled_by_chain WHERE chain_name = 'gateway'");
    }

    private static long count(String sql) throws Exception {
        try (Connection c = pipeline.database().open(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }


}
