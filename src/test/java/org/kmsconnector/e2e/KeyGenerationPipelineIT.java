package org.kmsconnector.e2e;

import java.math.BigInteger;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.db.OperationTable;
import org.kmsconnector.db.Operations;
import org.kmsconnector.devnet.KeyManagementCalls;
import org.kmsconnector.devnet.LocalPipeline;
import org.kmsconnector.devnet.ServiceProcess;
import org.kmsconnector.testsupport.AnvilControl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Key and CRS generation on Ethereum, with the three services run from the built jar against the
 * KMSGeneration mock (which checks the KMS Core's EIP-712 signatures and the tx sender) and the
 * KMS Core double: a key through prep-keygen, KeygenRequest and keygen to ActivateKey; a CRS to
 * ActivateCrs; an abort while the key is pending; a kms-worker and a tx-sender killed midway; an
 * event that is not final yet.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyGenerationPipelineIT {
    private static final OperationTable PREP_KEYGEN = Operations.PREP_KEYGEN.requests();
    private static final OperationTable PREP_KEYGEN_RESPONSES = Operations.PREP_KEYGEN.responseTable();
    private static final OperationTable KEYGEN = Operations.KEYGEN.requests();
    private static final OperationTable KEYGEN_RESPONSES = Operations.KEYGEN.responseTable();
    private static final OperationTable CRSGEN = Operations.CRSGEN.requests();
    private static final OperationTable CRSGEN_RESPONSES = Operations.CRSGEN.responseTable();
    /** The recovery job (in the tx-sender) every second, claims older than 3 s released. */
    private static final Map<String, String> FAST_RECOVERY = Map.of(
            "KMS_CONNECTOR_OPERATION_RECOVERY_RUN_INTERVAL", "1s",
            "KMS_CONNECTOR_OPERATION_UNDER_PROCESS_TIMEOUT", "3s");
    private static final int TEST_PARAMS = 1;

    private static LocalPipeline pipeline;
    private static PipelineRows rows;
    private static KeyManagementCalls kms;
    private static AnvilControl ethereum;
    private static ServiceProcess worker;
    private static ServiceProcess sender;

    @BeforeAll
    static void startPipeline() throws Exception {
        pipeline = LocalPipeline.start(PipelineRows.serverUrl(), "kmsc_it_keygen_" + ProcessHandle.current().pid(),
                Files.createTempDirectory("kmsc-it-keygen-"), 54331);
        rows = new PipelineRows(pipeline);
        kms = pipeline.keyManagement();
        ethereum = new AnvilControl(pipeline.host().url());
        pipeline.startService(ServiceProcess.connectorJar(), "gw-listener");
        worker = pipeline.startService(ServiceProcess.connectorJar(), "kms-worker");
        sender = pipeline.startService(ServiceProcess.connectorJar(), "tx-sender", FAST_RECOVERY);
        pipeline.awaitListenerPolling(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopPipeline() {
        if (ethereum != null) {
            ethereum.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @AfterEach
    void quickKms() {
        pipeline.kmsCore().setResultDelay(Duration.ZERO);
    }

    @Test
    @Order(1)
    void aKeyIsGeneratedThroughPrepKeygenAndKeygenAndActivated() throws Exception {
        BigInteger prep = kms.requestKeygen(TEST_PARAMS);
        rows.awaitStatus(PREP_KEYGEN_RESPONSES, prep, "completed", deadline());
        assertEquals("completed", rows.column(PREP_KEYGEN, prep, "status::text"));
        assertEquals("Test", rows.column(PREP_KEYGEN, prep, "params_type::text"));
        BigInteger key = awaitKeyId(prep);
        rows.awaitStatus(KEYGEN_RESPONSES, key, "completed", deadline());

        assertTrue(kms.keyActivated(key), "ActivateKey on the mock");
        assertEquals(1, kms.responses(prep), "one prep-keygen response");
        assertEquals(1, kms.responses(key), "one keygen response");
        assertEquals("completed", rows.column(KEYGEN, key, "status::text"));
        assertEquals("{CompressedKeySet,Public}", rows.column(KEYGEN_RESPONSES, key,
                "ARRAY(SELECT (d).key_type::text FROM unnest(key_digests) d)::text"),
                "the digests in the order the KMS Core returned them");
        assertEquals(1, pipeline.kmsCore().callCount("KeyGen:" + Uint256.toRequestId(key)));
    }

    @Test
    @Order(2)
    void aCrsIsGeneratedAndActivated() throws Exception {
        BigInteger crs = kms.requestCrsgen(2048, TEST_PARAMS);
        rows.awaitStatus(CRSGEN_RESPONSES, crs, "completed", deadline());
        assertTrue(kms.crsActivated(crs), "ActivateCrs on the mock");
        assertEquals(1, kms.responses(crs));
        assertEquals("completed", rows.column(CRSGEN, crs, "status::text"));
        assertEquals(2048, Uint256.fromLittleEndian(rows.bytes(CRSGEN, crs, "max_bit_length")).intValueExact(),
                "max_bit_length stored as a little-endian uint256");
    }

    @Test
    @Order(3)
    void anAbortWhileAKeygenIsPendingEndsItAbortedAndSendsNothing() throws Exception {
        pipeline.kmsCore().setResultDelay(Duration.ofHours(1));
        BigInteger prep = kms.requestKeygen(TEST_PARAMS);
        awaitColumn(PREP_KEYGEN, prep, "already_sent::text", "true");

        kms.abortKeygen(prep);
        rows.awaitStatus(Operations.ABORT_KEYGEN.requests(), prep, "completed", deadline());
        rows.awaitStatus(PREP_KEYGEN, prep, "aborted", deadline());
        assertNull(rows.column(PREP_KEYGEN_RESPONSES, prep, "status::text"), "no response to send");
        assertEquals(0, kms.responses(prep), "nothing sent");
        assertTrue(kms.keyIdOf(prep).isEmpty());
    }

    @Test
    @Order(4)
    void aWorkerKilledWhileAKeygenIsPendingResumesPollingWithoutASecondKeyGen() throws Exception {
        pipeline.kmsCore().setResultDelay(Duration.ofSeconds(6));
        BigInteger prep = kms.requestKeygen(TEST_PARAMS);
        BigInteger key = awaitKeyId(prep);
        awaitColumn(KEYGEN, key, "already_sent::text", "true");
        worker.kill();
        worker = pipeline.startService(ServiceProcess.connectorJar(), "kms-worker", Map.of(),
                "kms-worker-restarted");

        rows.awaitStatus(KEYGEN_RESPONSES, key, "completed", deadline());
        assertTrue(kms.keyActivated(key));
        assertEquals(1, pipeline.kmsCore().callCount("KeyGen:" + Uint256.toRequestId(key)),
                "the restarted worker only polled");
        assertEquals(1, kms.responses(key));
    }

    @Test
    @Order(5)
    void aSenderKilledAfterBroadcastingAnEthereumResponseSendsNothingTwice() throws Exception {
        BigInteger crs = kms.requestCrsgen(1024, TEST_PARAMS);
        // the transaction is journalled, then broadcast and mined at once; the sender waits two confirmations
        awaitColumn(CRSGEN_RESPONSES, crs, "(tx_hashes IS NOT NULL)::text", "true");
        sender.kill();
        assertEquals("under_process", rows.column(CRSGEN_RESPONSES, crs, "status::text"));
        sender = pipeline.startService(ServiceProcess.connectorJar(), "tx-sender", FAST_RECOVERY,
                "tx-sender-restarted");

        rows.awaitStatus(CRSGEN_RESPONSES, crs, "completed", deadline());
        assertEquals(1, kms.responses(crs), "one transaction on chain");
        assertEquals("1", rows.column(CRSGEN_RESPONSES, crs, "cardinality(tx_hashes)::text"));
        assertTrue(kms.crsActivated(crs));
    }

    @Test
    @Order(6)
    void anEventIsStoredOnlyOnceItsBlockIsFinal() throws Exception {
        // blocks only for transactions from now on, so the event's block stays the newest
        ethereum.intervalMining(0);
        ethereum.automine(true);
        try {
            BigInteger crs = kms.requestCrsgen(512, TEST_PARAMS);
            long finalized = pipeline.host().chain().blockNumber() - 2;
            awaitEthereumCheckpoint(finalized);
            assertNull(rows.column(CRSGEN, crs, "status::text"), "its block is not final: not stored yet");

            ethereum.mine(2);
            awaitColumn(CRSGEN, crs, "(status IS NOT NULL)::text", "true");
        } finally {
            ethereum.intervalMining(1);
        }
    }

    private static BigInteger awaitKeyId(BigInteger prep) throws Exception {
        Instant deadline = deadline();
        while (Instant.now().isBefore(deadline)) {
            Optional<BigInteger> key = kms.keyIdOf(prep);
            if (key.isPresent()) {
                return key.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no KeygenRequest for prep-keygen 0x" + prep.toString(16) + "\n" + rows.logs());
    }

    private static void awaitColumn(OperationTable table, BigInteger id, String expr, String value) throws Exception {
        Instant deadline = deadline();
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            last = rows.column(table, id, expr);
            if (value.equals(last)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(table.name() + " 0x" + id.toString(16) + ": " + expr + " is " + last + "\n"
                + rows.logs());
    }

    /** Until the listener has polled Ethereum up to {@code block}. */
    private static void awaitEthereumCheckpoint(long block) throws Exception {
        Instant deadline = deadline();
        while (Instant.now().isBefore(deadline)) {
            try (Connection c = pipeline.database().open(); Statement st = c.createStatement(); ResultSet rs =
                    st.executeQuery("SELECT block_number FROM last_block_polled_by_chain WHERE chain_name = 'ethereum'")) {
                if (rs.next() && rs.getLong(1) >= block) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the listener did not reach Ethereum block " + block + "\n" + rows.logs());
    }

    private static Instant deadline() {
        return Instant.now().plusSeconds(60);
    }
}
