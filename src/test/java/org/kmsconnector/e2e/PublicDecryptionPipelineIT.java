package org.kmsconnector.e2e;

import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.devnet.KmsCoreDouble;
import org.kmsconnector.devnet.LocalPipeline;
import org.kmsconnector.devnet.ServiceProcess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Public decryption through every hop, with the three services run from the built jar as an
 * operator runs them: a dapp's request on the Gateway → gw-listener → PostgreSQL → kms-worker
 * (host ACL, attested ciphertexts from S3, KMS Core over gRPC) → PostgreSQL → tx-sender → a
 * response transaction the Decryption contract accepts (it checks the KMS signature over the
 * stored handles and the submitted result). The failure paths assert what became of the rows.
 */
class PublicDecryptionPipelineIT {
    private static final int MAX_ATTEMPTS = 5;
    private static LocalPipeline pipeline;
    private static PipelineRows rows;

    @BeforeAll
    static void startPipeline() throws Exception {
        pipeline = PipelineRows.startWithServices("public", 54321, MAX_ATTEMPTS);
        rows = new PipelineRows(pipeline);
    }

    @AfterAll
    static void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @AfterEach
    void servicesStillRun() throws Exception {
        for (ServiceProcess service : pipeline.services()) {
            assertTrue(service.isAlive(), service.service() + " died:\n" + service.output());
        }
    }

    @Test
    void everyRequestEndsAsAnAcceptedResponseTransactionWithItsRowsCompleted() throws Exception {
        int[] types = {0, 2, 3, 4, 5, 6, 7, 8}; // Bool, Uint8 … Uint256
        List<LocalPipeline.Ciphertext> cts = new ArrayList<>();
        for (int type : types) {
            cts.add(pipeline.publishCiphertext(type));
        }
        Map<BigInteger, List<LocalPipeline.Ciphertext>> requests = new LinkedHashMap<>();
        for (int i = 0; i < cts.size(); i++) {
            byte[] extraData = i % 2 == 0 ? new byte[0] : new byte[] {0};
            requests.put(pipeline.requestPublicDecryption(List.of(cts.get(i).handle()), extraData), List.of(cts.get(i)));
        }
        requests.put(pipeline.requestPublicDecryption(List.of(cts.get(1).handle(), cts.get(4).handle()), new byte[0]),
                List.of(cts.get(1), cts.get(4)));

        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        for (Map.Entry<BigInteger, List<LocalPipeline.Ciphertext>> request : requests.entrySet()) {
            LocalPipeline.PublicResult result = awaitResult(request.getKey(), deadline);
            assertEquals(1, result.responseCount(), "one response per KMS node for " + request.getKey());
            assertArrayEquals(expectedResult(request.getValue()), result.decryptedResult(),
                    "decrypted result of " + request.getKey());
            assertEquals(0, result.extraData().length, "a lone 0x00 extraData goes to the KMS as empty");
        }
        for (BigInteger id : requests.keySet()) {
            rows.awaitStatus("public_decryption_requests", id, "completed", deadline);
            rows.awaitStatus("public_decryption_responses", id, "completed", deadline);
            assertEquals(1, pipeline.kmsCore().callCount("PublicDecrypt:" + Uint256.toRequestId(id)),
                    "the KMS Core is asked once per request");
        }
    }

    @Test
    void aRequestTheAclNeverAllowsEndsFailedWithItsReasonAndNothingSent() throws Exception {
        LocalPipeline.Ciphertext secret = pipeline.publishCiphertext(4, false);
        BigInteger id = pipeline.requestPublicDecryption(List.of(secret.handle()), new byte[0]);

        rows.awaitStatus("public_decryption_requests", id, "failed", Instant.now().plusSeconds(60));
        assertTrue(rows.column("public_decryption_requests", id, "last_error").contains("does not allow"),
                rows.column("public_decryption_requests", id, "last_error"));
        assertEquals(Integer.toString(MAX_ATTEMPTS), rows.column("public_decryption_requests", id, "error_counter::text"));
        assertNull(rows.column("public_decryption_responses", id, "status::text"), "no response row");
        assertEquals(0, pipeline.kmsCore().callCount("PublicDecrypt:" + Uint256.toRequestId(id)));
        assertEquals(0, pipeline.publicResult(id).responseCount(), "no response transaction");
    }

    @Test
    void aTransientKmsOutageIsRetriedWithoutAskingTwice() throws Exception {
        LocalPipeline.Ciphertext ct = pipeline.publishCiphertext(5);
        // grpc_request_retries is 3: the first attempt fails three polls and puts the row back to
        // pending; the next attempt only polls (already_sent) and gets through on its second try
        pipeline.kmsCore().failNext("GetPublicDecryptionResult", Status.Code.UNAVAILABLE, 4);
        BigInteger id = pipeline.requestPublicDecryption(List.of(ct.handle()), new byte[0]);

        Instant deadline = Instant.now().plusSeconds(60);
        assertEquals(1, awaitResult(id, deadline).responseCount());
        rows.awaitStatus("public_decryption_requests", id, "completed", deadline);
        assertEquals("4", rows.column("public_decryption_requests", id, "error_counter::text"));
        assertEquals(1, pipeline.kmsCore().callCount("PublicDecrypt:" + Uint256.toRequestId(id)),
                "already_sent keeps the retry to polling");
    }

    @Test
    void aRequestTheKmsCoreRefusesFailsAtOnce() throws Exception {
        LocalPipeline.Ciphertext ct = pipeline.publishCiphertext(2);
        pipeline.kmsCore().failNext("PublicDecrypt", Status.Code.INVALID_ARGUMENT, 1);
        BigInteger id = pipeline.requestPublicDecryption(List.of(ct.handle()), new byte[0]);

        rows.awaitStatus("public_decryption_requests", id, "failed", Instant.now().plusSeconds(60));
        assertTrue(rows.column("public_decryption_requests", id, "last_error").contains("INVALID_ARGUMENT"),
                rows.column("public_decryption_requests", id, "last_error"));
        assertEquals(1, pipeline.kmsCore().callCount("PublicDecrypt:" + Uint256.toRequestId(id)), "never resent");
        assertEquals(0, pipeline.publicResult(id).responseCount());
    }

    @Test
    void unsupportedExtraDataFailsTheRequestBeforeAnyKmsCall() throws Exception {
        LocalPipeline.Ciphertext ct = pipeline.publishCiphertext(3);
        BigInteger id = pipeline.requestPublicDecryption(List.of(ct.handle()), new byte[] {3, 1, 2});

        rows.awaitStatus("public_decryption_requests", id, "failed", Instant.now().plusSeconds(60));
        assertTrue(rows.column("public_decryption_requests", id, "last_error").contains("extra_data"),
                rows.column("public_decryption_requests", id, "last_error"));
        assertEquals(0, pipeline.kmsCore().callCount("PublicDecrypt:" + Uint256.toRequestId(id)));
    }

    @Test
    void aResponseTheGatewayRejectsIsFailedWithTheDecodedErrorAndNotResent() throws Exception {
        BigInteger unknown = BigInteger.ONE.shiftLeft(248).add(BigInteger.valueOf(999_999));
        try (Connection c = pipeline.database().open(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO public_decryption_responses (decryption_id, decrypted_result, signature, extra_data,"
                        + " created_at, otlp_context) VALUES (?, ?, ?, '', ?, '\\x0000000000000000')")) {
            ps.setBytes(1, Uint256.toLittleEndian(unknown));
            ps.setBytes(2, new byte[32]);
            ps.setBytes(3, new byte[65]);
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
        rows.awaitStatus("public_decryption_responses", unknown, "failed", Instant.now().plusSeconds(30));
        assertTrue(rows.column("public_decryption_responses", unknown, "last_error").contains("DecryptionNotRequested"),
                rows.column("public_decryption_responses", unknown, "last_error"));
    }

    private static byte[] expectedResult(List<LocalPipeline.Ciphertext> cts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (LocalPipeline.Ciphertext ct : cts) {
            out.writeBytes(Uint256.toBigEndian(KmsCoreDouble.expectedPlaintext(ct.body(), ct.fheType())));
        }
        return out.toByteArray();
    }

    private static LocalPipeline.PublicResult awaitResult(BigInteger id, Instant deadline) throws Exception {
        while (true) {
            LocalPipeline.PublicResult r = pipeline.publicResult(id);
            if (r.responseCount() > 0) {
                return r;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no response on chain for " + id + "\n" + rows.logs());
            }
            Thread.sleep(200);
        }
    }



}
