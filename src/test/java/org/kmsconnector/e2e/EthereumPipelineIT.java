package org.kmsconnector.e2e;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.KmsContextPayload;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.db.OperationTable;
import org.kmsconnector.db.Operations;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.EthereumDeployment;
import org.kmsconnector.devnet.FreePorts;
import org.kmsconnector.devnet.KeyManagementCalls;
import org.kmsconnector.devnet.LocalPipeline;
import org.kmsconnector.devnet.ProtocolConfigCalls;
import org.kmsconnector.devnet.ServiceProcess;
import org.kmsconnector.kms.v1.MpcContext;
import org.kmsconnector.kms.v1.MpcNode;
import org.kmsconnector.kms.v1.NewMpcEpochRequest;
import org.kmsconnector.monitoring.Metrics;
import org.kmsconnector.testsupport.AnvilControl;
import org.kmsconnector.worker.kms.ContextRequests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Key management on Ethereum, with the three services run from the built jar against the
 * KMSGeneration and ProtocolConfig mocks (which check the KMS Core's EIP-712 signatures and the
 * tx sender) and the KMS Core double. Key generation: a key through prep-keygen, KeygenRequest and
 * keygen to ActivateKey; a CRS to ActivateCrs; an abort while the key is pending; a kms-worker and
 * a tx-sender killed midway; an event that is not final yet. Then contexts and epochs, on the keys
 * and CRSs made so far: a new context told to the KMS Core with its predecessor and confirmed;
 * the epoch it opens reshared and activated; a tampered anchor; a context destroyed while the
 * pipeline runs, which the next decryption pinned to it finds without any restart; two
 * gw-listeners storing one destruction once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EthereumPipelineIT {
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
    private static final OperationTable NEW_CONTEXT = Operations.NEW_KMS_CONTEXT.requests();
    private static final OperationTable NEW_CONTEXT_RESPONSES = Operations.NEW_KMS_CONTEXT.responseTable();
    private static final OperationTable NEW_EPOCH = Operations.NEW_KMS_EPOCH.requests();
    private static final OperationTable EPOCH_RESULT_RESPONSES = Operations.NEW_KMS_EPOCH.responseTable();
    private static final OperationTable CONTEXT_DESTROYED = Operations.KMS_CONTEXT_DESTROYED.requests();
    private static final OperationTable EPOCH_DESTROYED = Operations.KMS_EPOCH_DESTROYED.requests();

    private static LocalPipeline pipeline;
    private static PipelineRows rows;
    private static KeyManagementCalls kms;
    private static AnvilControl ethereum;
    private static ServiceProcess listener;
    private static ServiceProcess worker;
    private static ServiceProcess sender;
    /** Made by the key-generation tests, reshared by the new epoch. */
    private static BigInteger firstKey;
    private static BigInteger newContext;
    private static BigInteger newEpoch;

    @BeforeAll
    static void startPipeline() throws Exception {
        pipeline = LocalPipeline.start(PipelineRows.serverUrl(), "kmsc_it_keygen_" + ProcessHandle.current().pid(),
                Files.createTempDirectory("kmsc-it-keygen-"), 54331);
        rows = new PipelineRows(pipeline);
        kms = pipeline.keyManagement();
        ethereum = new AnvilControl(pipeline.host().url());
        listener = pipeline.startService(ServiceProcess.connectorJar(), "gw-listener");
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
        firstKey = key;

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

    @Test
    @Order(7)
    void aNewContextIsToldToTheKmsCoreWithItsPredecessorAndConfirmed() throws Exception {
        ProtocolConfigCalls protocol = pipeline.protocolConfig();
        KmsContextPayload defined = ProtocolConfigCalls.oneNodeContext("v0.16.0");
        newContext = protocol.defineNewContext(defined);
        rows.awaitStatus(NEW_CONTEXT_RESPONSES, newContext, "completed", deadline());
        assertEquals("completed", rows.column(NEW_CONTEXT, newContext, "status::text"));
        assertEquals(1, protocol.contextConfirmations(newContext), "confirmKmsContextCreation, once");

        MpcContext previous = pipeline.kmsCore().context(requestId(pipeline.ethereum().contextId())).orElseThrow(
                () -> new AssertionError("the predecessor was not told to the KMS Core"));
        assertEquals(EthereumDeployment.GENESIS_SOFTWARE_VERSION, previous.getSoftwareVersion(),
                "rebuilt from the predecessor's creation event");
        MpcContext told = pipeline.kmsCore().context(requestId(newContext)).orElseThrow();
        assertEquals("v0.16.0", told.getSoftwareVersion());
        assertEquals(0, told.getThreshold(), "thresholds.mpc");
        MpcNode node = told.getMpcNodes(0);
        assertEquals("kms-node-1", node.getMpcIdentity());
        assertEquals(1, node.getPartyId());
        assertArrayEquals(Hex.decode(DevAccounts.KMS_SIGNER.getAddress()), node.getSignerAddress().toByteArray());
        assertArrayEquals(Hex.decode(DevAccounts.TX_SENDER.getAddress()),
                node.getExtraSignerAddresses(0).toByteArray(), "the tx sender as the one extra signer");
        assertEquals(EthereumDeployment.KMS_STORAGE_URL, node.getPublicStorageUrl());
        assertEquals(1, told.getPcrValuesCount());
    }

    @Test
    @Order(8)
    void theEpochTheNewContextOpensResharesTheKeysAndCrssAndIsActivated() throws Exception {
        ProtocolConfigCalls protocol = pipeline.protocolConfig();
        newEpoch = awaitEpochOf(protocol, newContext);
        rows.awaitStatus(EPOCH_RESULT_RESPONSES, newEpoch, "completed", deadline());
        assertEquals("completed", rows.column(NEW_EPOCH, newEpoch, "status::text"));
        assertTrue(protocol.activation(newEpoch).isPresent(), "ActivateEpoch: the mock verified every signature");
        assertEquals(1, protocol.epochConfirmations(newEpoch));
        BigInteger[] current = protocol.current();
        assertEquals(newContext, current[0]);
        assertEquals(newEpoch, current[1]);

        NewMpcEpochRequest asked = pipeline.kmsCore().epochRequest(requestId(newEpoch)).orElseThrow();
        assertEquals(requestId(pipeline.ethereum().contextId()), asked.getPreviousEpoch().getContextId().getRequestId());
        assertEquals(requestId(pipeline.ethereum().epochId()), asked.getPreviousEpoch().getEpochId().getRequestId());
        assertTrue(asked.getPreviousEpoch().getKeysInfoList().stream()
                .anyMatch(k -> k.getKeyId().getRequestId().equals(requestId(firstKey))), "the first key is reshared");
        assertTrue(asked.getPreviousEpoch().getCrsInfoCount() >= 2, "the CRSs made so far");
        assertEquals("ProtocolConfig", asked.getDomain().getName());
        assertEquals(65, asked.getExtraData().size(), "extraData v2: context and epoch");
    }

    @Test
    @Order(9)
    void aTamperedAnchorFailsTheNextContextWithTheReasonAndNothingIsSent() throws Exception {
        ProtocolConfigCalls protocol = pipeline.protocolConfig();
        protocol.tamperAnchor(newContext);
        BigInteger next = protocol.defineNewContext(ProtocolConfigCalls.oneNodeContext("v0.17.0"));
        rows.awaitStatus(NEW_CONTEXT, next, "failed", deadline());
        String reason = rows.column(NEW_CONTEXT, next, "last_error");
        assertTrue(reason.contains("does not match its anchor"), reason);
        assertTrue(pipeline.kmsCore().context(requestId(next)).isEmpty(), "never told to the KMS Core");
        assertNull(rows.column(NEW_CONTEXT_RESPONSES, next, "status::text"));
        assertEquals(0, protocol.contextConfirmations(next));
    }

    @Test
    @Order(10)
    void aContextDestroyedWhileThePipelineRunsRefusesTheNextDecryptionPinnedToIt() throws Exception {
        BigInteger context = pipeline.ethereum().contextId();
        byte[] pinned = ContextRequests.extraDataV2(context, pipeline.ethereum().epochId());
        BigInteger before = pipeline.requestPublicDecryption(List.of(pipeline.publishCiphertext(4).handle()), pinned);
        rows.awaitStatus("public_decryption_responses", before, "completed", deadline());

        pipeline.protocolConfig().destroyContext(context);
        rows.awaitStatus(CONTEXT_DESTROYED, context, "completed", deadline());
        assertEquals(1, pipeline.kmsCore().callCount("DestroyMpcContext:" + requestId(context)));

        BigInteger after = pipeline.requestPublicDecryption(List.of(pipeline.publishCiphertext(4).handle()), pinned);
        rows.awaitStatus("public_decryption_requests", after, "failed", deadline());
        String reason = rows.column("public_decryption_requests", after, "last_error");
        assertTrue(reason.contains("was destroyed"), reason);
        assertEquals(0, pipeline.kmsCore().callCount("PublicDecrypt:" + requestId(after)), "never sent to the KMS Core");
        assertNull(rows.column("public_decryption_responses", after, "status::text"));
        assertTrue(listener.isAlive() && worker.isAlive() && sender.isAlive(), "no service was restarted");
    }

    @Test
    @Order(11)
    void twoListenersStoreOneDestructionOnce() throws Exception {
        int port = FreePorts.next(1).get(0);
        ServiceProcess second = pipeline.startService(ServiceProcess.connectorJar(), "gw-listener",
                Map.of("KMS_CONNECTOR_MONITORING_ENDPOINT", "127.0.0.1:" + port), "gw-listener-2");
        awaitMetric(port, "", "", -1); // the second listener serves its metrics: it has started
        BigInteger epoch = newEpoch; // one the KMS Core double has (it was never told of the genesis epoch)
        pipeline.protocolConfig().destroyEpoch(epoch);

        rows.awaitStatus(EPOCH_DESTROYED, epoch, "completed", deadline());
        String destroyed = "event_type=\"" + Operations.KMS_EPOCH_DESTROYED.eventType() + "\"";
        awaitMetric(pipeline.monitoringPort("gw-listener"), Metrics.LISTENER_EVENTS, destroyed, 1);
        awaitMetric(port, Metrics.LISTENER_EVENTS, destroyed, 1);
        assertEquals("1", rows.query("SELECT count(*) FROM kms_epoch_destroyed"));
        assertEquals(1, pipeline.kmsCore().callCount("DestroyMpcEpoch:" + requestId(epoch)), "sent once");
        assertEquals("false", rows.query("SELECT is_valid::text FROM kms_epoch WHERE id = '\\x"
                + Hex.encode(Uint256.toLittleEndian(epoch)) + "'"));
        second.kill();
    }

    /** A row ProtocolConfig refuses (the genesis context is not pending) fails with the contract's error. */
    @Test
    @Order(12)
    void aConfirmationProtocolConfigRefusesFailsWithItsCustomError() throws Exception {
        BigInteger genesis = pipeline.ethereum().contextId();
        try (Connection c = pipeline.database().open(); java.sql.PreparedStatement ps = c.prepareStatement(
                "INSERT INTO new_kms_context_responses (context_id, created_at, otlp_context) VALUES (?, now(), ?)")) {
            ps.setBytes(1, Uint256.toLittleEndian(genesis));
            ps.setBytes(2, new byte[8]);
            ps.executeUpdate();
        }
        rows.awaitStatus(NEW_CONTEXT_RESPONSES, genesis, "failed", deadline());
        String reason = rows.column(NEW_CONTEXT_RESPONSES, genesis, "last_error");
        assertTrue(reason.contains("KmsContextNotPending"), reason);
        assertEquals(0, pipeline.protocolConfig().contextConfirmations(genesis));
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

    private static BigInteger awaitEpochOf(ProtocolConfigCalls protocol, BigInteger context) throws Exception {
        Instant deadline = deadline();
        while (Instant.now().isBefore(deadline)) {
            Optional<BigInteger> epoch = protocol.epochOf(context);
            if (epoch.isPresent()) {
                return epoch.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no NewKmsEpoch for context 0x" + context.toString(16) + "\n" + rows.logs());
    }

    /**
     * Until the service's /metrics has a sample of {@code name} with {@code labels} among its labels
     * whose value is {@code value}; a negative value only waits for /metrics to answer.
     */
    private static void awaitMetric(int port, String name, String labels, double value) throws Exception {
        Instant deadline = deadline();
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            try {
                last = metrics(port);
                if (value < 0) {
                    return;
                }
                for (String line : last.split("\n")) {
                    if (line.startsWith(name) && line.contains(labels)
                            && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) == value) {
                        return;
                    }
                }
            } catch (java.io.IOException e) {
                last = e.toString(); // not serving yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + name + "{" + labels + "} = " + value + " on port " + port + ":\n" + last);
    }

    private static String metrics(int port) throws Exception {
        HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return reply.body();
    }

    private static String requestId(BigInteger id) {
        return Uint256.toRequestId(id);
    }
}
