package org.kmsconnector.e2e;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.devnet.AwsKmsDouble;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.LocalPipeline;
import org.kmsconnector.devnet.ServiceProcess;
import org.kmsconnector.testsupport.AnvilControl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What survives a crash or an outage, with the services run from the built jar: a tx-sender
 * killed (SIGKILL) between broadcasting and writing the status never sends the response twice,
 * whether its transaction was mined meanwhile or is still pending; a kms-worker killed while it
 * holds a request gets it back through the recovery job; a Gateway node that hangs during sending
 * loses nothing; and an AWS KMS wallet signs transactions the Gateway accepts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SenderResilienceIT {
    /** Recovery every second, claims older than 3 s released: the crash tests wait seconds, not minutes. */
    private static final Map<String, String> FAST_RECOVERY = Map.of(
            "KMS_CONNECTOR_OPERATION_RECOVERY_RUN_INTERVAL", "1s",
            "KMS_CONNECTOR_OPERATION_UNDER_PROCESS_TIMEOUT", "3s");
    private static final String WALLET = DevAccounts.TX_SENDER.getAddress();

    private static LocalPipeline pipeline;
    private static PipelineRows rows;
    private static AnvilControl anvil;
    private static ServiceProcess worker;
    private final List<ServiceProcess> senders = new ArrayList<>();

    @BeforeAll
    static void startPipeline() throws Exception {
        pipeline = LocalPipeline.start(PipelineRows.serverUrl(), "kmsc_it_sender_" + ProcessHandle.current().pid(),
                Files.createTempDirectory("kmsc-it-sender-"), 54323);
        rows = new PipelineRows(pipeline);
        anvil = new AnvilControl(pipeline.anvil().url());
        pipeline.startService(ServiceProcess.connectorJar(), "gw-listener");
        worker = pipeline.startService(ServiceProcess.connectorJar(), "kms-worker");
        pipeline.awaitListenerPolling(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopPipeline() {
        if (anvil != null) {
            anvil.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @AfterEach
    void stopSenders() throws Exception {
        anvil.automine(true);
        for (ServiceProcess s : senders) {
            s.close();
        }
    }

    @Test
    @Order(1)
    void aSenderKilledAfterBroadcastingFindsItsMinedTransactionAndSendsNothing() throws Exception {
        BigInteger id = requestAndAwaitResponse();
        BigInteger before = anvil.minedCount(WALLET);
        anvil.automine(false);

        ServiceProcess first = sender("tx-sender-killed-1", Map.of());
        String hash = awaitBroadcast(id);
        first.kill();
        assertEquals("under_process", rows.column("public_decryption_responses", id, "status::text"));
        anvil.mine();
        anvil.automine(true);
        assertEquals(before.add(BigInteger.ONE), anvil.minedCount(WALLET));

        ServiceProcess second = sender("tx-sender-restarted-1", FAST_RECOVERY);
        rows.awaitStatus("public_decryption_responses", id, "completed", Instant.now().plusSeconds(60));
        assertEquals(1, pipeline.publicResult(id).responseCount());
        assertEquals(before.add(BigInteger.ONE), anvil.minedCount(WALLET), "no second transaction");
        assertEquals(hash, journal(id).get(0));
        assertEquals(1, journal(id).size());
        awaitLog(second, s -> s.contains("is mined; nothing to send"));
    }

    @Test
    @Order(2)
    void aSenderKilledWhileItsTransactionIsPendingIsResumedNotDuplicated() throws Exception {
        BigInteger id = requestAndAwaitResponse();
        BigInteger before = anvil.minedCount(WALLET);
        anvil.automine(false);

        ServiceProcess first = sender("tx-sender-killed-2", Map.of());
        String hash = awaitBroadcast(id);
        first.kill();
        ServiceProcess second = sender("tx-sender-restarted-2", FAST_RECOVERY);
        awaitLog(second, s -> s.contains(hash + " of an earlier attempt is still pending; waiting for it"));
        anvil.mine();
        anvil.automine(true);

        rows.awaitStatus("public_decryption_responses", id, "completed", Instant.now().plusSeconds(60));
        assertEquals(1, pipeline.publicResult(id).responseCount());
        assertEquals(before.add(BigInteger.ONE), anvil.minedCount(WALLET), "the pending transaction only");
        assertEquals(hash, anvil.transaction(hash).orElseThrow().getHash());
        assertFalse(second.output().contains("sending anew"), second.output());
    }

    @Test
    @Order(3)
    void aWorkerKilledWhileHoldingARequestGetsItBackAfterTheTimeout() throws Exception {
        pipeline.kmsCore().setResultDelay(Duration.ofSeconds(6));
        pipeline.kmsCore().setPollHold(Duration.ofSeconds(30)); // the worker waits inside a poll
        LocalPipeline.Ciphertext ct = pipeline.publishCiphertext(3);
        BigInteger id = pipeline.requestPublicDecryption(List.of(ct.handle()), new byte[0]);
        String key = "PublicDecrypt:" + Uint256.toRequestId(id);
        Instant deadline = Instant.now().plusSeconds(60);
        while (pipeline.kmsCore().callCount(key) < 1 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        Thread.sleep(500);
        worker.kill();
        pipeline.kmsCore().setPollHold(Duration.ZERO);
        pipeline.kmsCore().setResultDelay(Duration.ZERO);
        assertEquals("under_process", rows.column("public_decryption_requests", id, "status::text"));

        worker = pipeline.startService(ServiceProcess.connectorJar(), "kms-worker", Map.of(), "kms-worker-restarted");
        Thread.sleep(3000);
        assertEquals("under_process", rows.column("public_decryption_requests", id, "status::text"),
                "nobody else may take a claimed row before the timeout");
        sender("tx-sender-recovery", FAST_RECOVERY);

        rows.awaitStatus("public_decryption_requests", id, "completed", Instant.now().plusSeconds(90));
        rows.awaitStatus("public_decryption_responses", id, "completed", Instant.now().plusSeconds(60));
        assertEquals(1, pipeline.publicResult(id).responseCount());
        assertEquals(1, pipeline.kmsCore().callCount(key), "already_sent was written at the start call: the new"
                + " worker only polls");
        assertEquals("true", rows.column("public_decryption_requests", id, "already_sent::text"));
    }

    @Test
    @Order(4)
    void aGatewayNodeThatHangsDuringSendingLosesNothing() throws Exception {
        List<BigInteger> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(requestAndAwaitResponse());
        }
        BigInteger before = anvil.minedCount(WALLET);
        pipeline.anvil().pause(); // SIGSTOP: connections open, no answers
        try {
            ServiceProcess sender = sender("tx-sender-outage", Map.of("KMS_CONNECTOR_RPC_CALL_TIMEOUT", "2s"));
            awaitLog(sender, s -> s.contains("node unreachable"));
            for (BigInteger id : ids) {
                String status = rows.column("public_decryption_responses", id, "status::text");
                assertTrue(status.equals("pending") || status.equals("under_process"), status);
            }
        } finally {
            pipeline.anvil().resume();
        }
        for (BigInteger id : ids) {
            rows.awaitStatus("public_decryption_responses", id, "completed", Instant.now().plusSeconds(90));
            assertEquals(1, pipeline.publicResult(id).responseCount(), "response " + id);
        }
        assertEquals(before.add(BigInteger.valueOf(ids.size())), anvil.minedCount(WALLET), "one transaction each");
    }

    @Test
    @Order(5)
    void anAwsKmsWalletSignsTransactionsTheGatewayAccepts() throws Exception {
        String keyId = "alias/kms-connector-it";
        // the key the KMS double holds is the one registered as this node's tx sender on the Gateway
        try (AwsKmsDouble kms = AwsKmsDouble.start(Map.of(keyId, DevAccounts.TX_SENDER.getEcKeyPair()))) {
            Path config = pipeline.workDir().resolve("config").resolve("tx-sender-aws.toml");
            String toml = Files.readString(pipeline.config("tx-sender")).replaceAll("(?m)^private_key = .*$", "");
            Files.writeString(config, toml + "\n[aws_kms_config]\nkey_id = \"" + keyId + "\"\nregion = \""
                    + kms.region() + "\"\nendpoint = \"" + kms.endpoint() + "\"\n");
            Map<String, String> env = new HashMap<>(kms.childEnvironment());
            ServiceProcess aws = ServiceProcess.start(ServiceProcess.connectorJar(), "tx-sender", config,
                    pipeline.workDir().resolve("tx-sender-aws.log"), env);
            senders.add(aws);

            List<BigInteger> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(requestAndAwaitResponse());
            }
            for (BigInteger id : ids) {
                rows.awaitStatus("public_decryption_responses", id, "completed", Instant.now().plusSeconds(60));
                assertEquals(1, pipeline.publicResult(id).responseCount());
                String hash = journal(id).get(journal(id).size() - 1);
                var tx = anvil.transaction(hash).orElseThrow();
                assertEquals(WALLET.toLowerCase(), tx.getFrom().toLowerCase());
                assertEquals("0x2", tx.getType(), "EIP-1559");
            }
            assertEquals(1, kms.calls("GetPublicKey"));
            assertTrue(kms.calls("Sign") >= ids.size(), "signed by AWS KMS: " + kms.calls("Sign"));
            assertEquals(0, kms.unsignedRequests(), "every KMS request carried SigV4");
            String log = aws.output();
            assertTrue(log.contains("The wallet is AWS KMS key " + keyId), log);
            assertFalse(log.contains("test-secret-not-real") || log.contains("AKIDTESTDOUBLE"), "no credentials logged");
        }
    }

    private ServiceProcess sender(String logName, Map<String, String> env) throws Exception {
        ServiceProcess s = pipeline.startService(ServiceProcess.connectorJar(), "tx-sender", env, logName);
        senders.add(s);
        return s;
    }

    private BigInteger requestAndAwaitResponse() throws Exception {
        LocalPipeline.Ciphertext ct = pipeline.publishCiphertext(4);
        BigInteger id = pipeline.requestPublicDecryption(List.of(ct.handle()), new byte[0]);
        Instant deadline = Instant.now().plusSeconds(60);
        while (rows.column("public_decryption_responses", id, "status::text") == null) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no response row for " + id + "\n" + rows.logs());
            }
            Thread.sleep(100);
        }
        return id;
    }

    /** The hash the sender wrote down before broadcasting, once the node has it in its pool. */
    private String awaitBroadcast(BigInteger id) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            List<String> hashes = journal(id);
            if (!hashes.isEmpty() && anvil.transaction(hashes.get(0)).isPresent()) {
                return hashes.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no transaction broadcast for " + id + "\n" + rows.logs());
    }

    private static List<String> journal(BigInteger id) throws Exception {
        String hashes = rows.column("public_decryption_responses", id,
                "array_to_string(ARRAY(SELECT encode(h, 'hex') FROM unnest(tx_hashes) h), ',')");
        List<String> out = new ArrayList<>();
        if (hashes != null && !hashes.isEmpty()) {
            for (String h : hashes.split(",")) {
                out.add("0x" + h);
            }
        }
        return out;
    }

    private static void awaitLog(ServiceProcess s, Predicate<String> seen) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (seen.test(s.output())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not in the log of " + s.log() + ":\n" + s.output());
    }



}
