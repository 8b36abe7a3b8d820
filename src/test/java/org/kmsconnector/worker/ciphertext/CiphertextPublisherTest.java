package org.kmsconnector.worker.ciphertext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.devnet.CiphertextPublisher;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;

@UsesRealParts
class CiphertextPublisherTest {
    @Test
    void handleLayoutPutsChainIdTypeAndVersionWhereTheConnectorReadsThem() {
        byte[] hash = new byte[21];
        hash[0] = (byte) 0x5a;
        Handle h = new Handle(CiphertextPublisher.handle(hash, 3, 12345, 5, 0));
        assertEquals(12345, h.hostChainId());
        assertEquals(5, h.fheType());
        assertEquals(3, h.bytes()[21]);
        assertEquals(0, h.bytes()[31]);
        assertEquals((byte) 0x5a, h.bytes()[0]);
    }

    @Test
    void s3MockStoresTheAttestationAsObjectMetadata() throws Exception {
        String bucket = TestInfra.s3().bucketUrl("copro-a");
        byte[] handle = CoprocessorFixture.newHandle(5);
        byte[] body = CoprocessorFixture.body(300);
        ECKeyPair key = CoprocessorFixture.key();

        CiphertextPublisher.publish(bucket, handle, body, key, BigInteger.valueOf(42), 11);

        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create(CiphertextPublisher.objectUrl(bucket, handle));
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(uri)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, head.statusCode());
        Attestation a = Attestation.parse(head.headers().firstValue(Attestation.HEADER).orElseThrow());
        assertTrue(a.signedBy(handle));
        assertEquals(CiphertextPublisher.address(key), a.signer());
        assertEquals(BigInteger.valueOf(42), a.keyId());
        assertArrayEquals(Hash.sha3(body), a.snsCiphertextDigest());

        byte[] stored = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        assertArrayEquals(body, stored);
    }
}
