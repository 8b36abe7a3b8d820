package org.kmsconnector.worker;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.HostChains;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.db.Operations;
import org.kmsconnector.db.RequestWrites;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.kmsconnector.worker.auth.PublicDecryptionAcl;
import org.kmsconnector.worker.auth.Refusal;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The public decryption through the same shared steps: it still ends with its ABI-encoded
 * result stored, and the KMS context check now stops it too, before the host ACL is asked.
 */
@UsesRealParts
class PublicDecryptionStepsTest {
    private static WorkerFixture fx;
    private static HostChains hostChains;
    private final AtomicReference<Optional<Refusal>> context = new AtomicReference<>(Optional.empty());
    private final ConnectorMetrics metrics = ConnectorMetrics.inMemory();

    @BeforeAll
    static void start() throws Exception {
        fx = new WorkerFixture("worker_public_steps");
        hostChains = new HostChains();
        hostChains.add(WorkerFixture.HOST_CHAIN_ID, Web3jClients.create(TestInfra.anvil().url(),
                java.time.Duration.ofSeconds(10)), fx.gateway.acl(), 4);
    }

    @AfterAll
    static void stop() throws Exception {
        hostChains.close();
        fx.close();
    }

    private void runOnce() throws Exception {
        RequestWrites writes = new RequestWrites(fx.dataSource, Operations.PUBLIC_DECRYPTION);
        fx.runOnce(new OperationProcessor<>(new PublicDecryptionFlow(new PublicDecryptionAcl(hostChains),
                extra -> context.get(), fx.ciphertexts, fx.kmsClient, fx.domain), writes, metrics),
                new OperationOutcomes(writes, 5, metrics));
    }

    private static byte[] allowedCiphertext() throws Exception {
        byte[] handle = fx.publishCiphertext(5);
        fx.chain.send(fx.gateway.acl(), new Function("allowForDecryption",
                List.of(new DynamicArray<>(Bytes32.class, new Bytes32(handle))), List.of()));
        return handle;
    }

    @Test
    void anAllowedRequestEndsWithItsAbiEncodedResultStored() throws Exception {
        BigInteger id = WorkerFixture.publicId();
        fx.insertPublic(id, List.of(allowedCiphertext()), new byte[] {0});
        runOnce();

        assertEquals("completed", fx.column("public_decryption_requests", id, "status::text"));
        assertEquals(32, fx.bytes("public_decryption_responses", id, "decrypted_result").length);
        assertArrayEquals(new byte[0], fx.bytes("public_decryption_responses", id, "extra_data"));
        assertEquals(1, fx.kmsCalls("PublicDecrypt", id));
    }

    @Test
    void aContextRefusalAppliesToPublicDecryptionToo() throws Exception {
        BigInteger id = WorkerFixture.publicId();
        fx.insertPublic(id, List.of(allowedCiphertext()), Hex.decode("01" + "00".repeat(31) + "0a"));
        context.set(Optional.of(Refusal.recoverable("kms_context", "KMS context 10 is not valid yet")));
        runOnce();

        assertEquals("pending", fx.column("public_decryption_requests", id, "status::text"));
        assertEquals("KMS context 10 is not valid yet", fx.column("public_decryption_requests", id, "last_error"));
        assertEquals(1.0, metrics.count(Metrics.WORKER_CHECK_ERRORS, "check_type", "kms_context"));
        assertEquals(0, fx.kmsCalls("PublicDecrypt", id));

        context.set(Optional.empty());
        runOnce();
        assertEquals("completed", fx.column("public_decryption_requests", id, "status::text"));
        assertNull(fx.column("public_decryption_requests", id, "last_error"));
    }
}
