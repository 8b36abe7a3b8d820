package org.kmsconnector.chain;

import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.devnet.AnvilNode;
import org.kmsconnector.devnet.AwsKmsDouble;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;
import org.web3j.crypto.ECDSASignature;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AWS KMS wallet through the real SDK client against a KMS double speaking the JSON 1.1
 * protocol, and its transactions on anvil: what KMS signs is the keccak256 signing hash, high-s
 * answers are normalised, the parity is found, and the chain accepts both transaction types.
 */
@UsesRealParts
class AwsKmsSignerTest {
    private static final String KEY_ID = "0b1e4f1c-kms-test-key";
    private static ECKeyPair key;
    private static AwsKmsDouble kms;
    private static KmsClient client;
    private static AwsKmsSigner signer;

    @BeforeAll
    static void start() throws Exception {
        key = Keys.createEcKeyPair();
        kms = AwsKmsDouble.start(Map.of(KEY_ID, key));
        client = KmsClient.builder().endpointOverride(URI.create(kms.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "s3cr3t")))
                .build();
        signer = AwsKmsSigner.connect(client, KEY_ID);
    }

    @AfterAll
    static void stop() {
        if (signer != null) {
            signer.close();
        }
        kms.close();
    }

    @Test
    void theAddressComesFromGetPublicKey() {
        assertEquals("0x" + Keys.getAddress(key), signer.address());
        assertTrue(kms.calls("GetPublicKey") >= 1);
        assertEquals(0, kms.unsignedRequests(), "the SDK signs every request (SigV4)");
        assertFalse(signer.toString().contains("s3cr3t"));
    }

    @Test
    void everySignatureIsLowSAndRecoversTheWallet() throws Exception {
        int highBefore = kms.highSSignatures();
        for (int i = 0; i < 24; i++) {
            byte[] digest = Hash.sha3(("message " + i).getBytes());
            Sign.SignatureData sig = signer.signDigest(digest);
            BigInteger s = new BigInteger(1, sig.getS());
            assertTrue(s.compareTo(Secp256k1.N.shiftRight(1)) <= 0, "low-s");
            assertEquals(key.getPublicKey(), Sign.signedMessageHashToKey(digest, sig), "recovers the KMS key");
        }
        // 24 random signatures all low-s from the double would happen once in 16 million runs
        assertTrue(kms.highSSignatures() > highBefore, "the double returned high-s signatures that were normalised");
    }

    @Test
    void aDerSignatureWithHighSIsNormalised() {
        BigInteger r = BigInteger.valueOf(12345);
        BigInteger highS = Secp256k1.N.subtract(BigInteger.valueOf(7));
        ECDSASignature parsed = Secp256k1.fromDer(der(r, highS));
        assertEquals(r, parsed.r);
        assertEquals(BigInteger.valueOf(7), parsed.s);
        assertThrows(IllegalArgumentException.class, () -> Secp256k1.fromDer(der(BigInteger.ZERO, BigInteger.ONE)));
        assertThrows(IllegalArgumentException.class, () -> Secp256k1.fromDer(der(r, Secp256k1.N)));
        assertThrows(IllegalArgumentException.class, () -> Secp256k1.fromDer(new byte[] {0x30, 0x00}));
    }

    @Test
    void aKeyOnAnotherCurveIsRefusedWithTheKeySpecItNeeds() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] p256 = gen.generateKeyPair().getPublic().getEncoded();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Secp256k1.publicKeyFromSpki(p256));
        assertTrue(e.getMessage().contains("ECC_SECG_P256K1"), e.getMessage());
    }

    @Test
    void anUnknownKeyFailsAtConnectWithTheKeyAndTheAwsError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AwsKmsSigner.connect(client, "no-such-key"));
        assertTrue(e.getMessage().contains("no-such-key") && e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"));
    }

    @Test
    void eip1559AndLegacyTransactionsSignedByKmsAreMinedFromTheKmsAddress() throws Exception {
        AnvilNode anvil = TestInfra.anvil();
        HttpService rpc = new HttpService(anvil.url());
        Web3j web3j = Web3jClients.create(anvil.url(), Duration.ofSeconds(10));
        try {
            VoidResponse funded = new Request<>("anvil_setBalance", List.of(signer.address(), "0x56BC75E2D63100000"),
                    rpc, VoidResponse.class).send();
            assertFalse(funded.hasError());
            String to = "0x000000000000000000000000000000000000dEaD";
            BigInteger base = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock()
                    .getBaseFeePerGas();
            for (int i = 0; i < 3; i++) {
                BigInteger nonce = web3j.ethGetTransactionCount(signer.address(), DefaultBlockParameterName.PENDING)
                        .send().getTransactionCount();
                RawTransaction typed = RawTransaction.createEtherTransaction(anvil.chainId(), nonce,
                        BigInteger.valueOf(21_000), to, BigInteger.ONE, BigInteger.valueOf(1_000_000_000L),
                        base.multiply(BigInteger.TWO).add(BigInteger.valueOf(1_000_000_000L)));
                assertMinedFromSigner(web3j, signer.sign(typed, anvil.chainId()), true);
                RawTransaction legacy = RawTransaction.createEtherTransaction(nonce.add(BigInteger.ONE),
                        base.multiply(BigInteger.TWO), BigInteger.valueOf(21_000), to, BigInteger.ONE);
                assertMinedFromSigner(web3j, signer.sign(legacy, anvil.chainId()), false);
            }
        } finally {
            web3j.shutdown();
        }
    }

    @Test
    void theClientFactoryHonoursRegionAndEndpoint() {
        System.setProperty("aws.accessKeyId", "AKIDPROPS");
        System.setProperty("aws.secretAccessKey", "props-secret");
        try (KmsClient fromConfig = AwsKmsClients.create(Optional.of("eu-west-1"), Optional.of(kms.endpoint()),
                Duration.ofSeconds(5))) {
            AwsKmsSigner viaFactory = AwsKmsSigner.connect(fromConfig, KEY_ID);
            assertEquals(signer.address(), viaFactory.address());
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    private void assertMinedFromSigner(Web3j web3j, byte[] signed, boolean eip155Free) throws Exception {
        EthSendTransaction sent = web3j.ethSendRawTransaction(Numeric.toHexString(signed)).send();
        assertFalse(sent.hasError(), () -> sent.getError().getMessage());
        TransactionReceipt receipt = awaitReceipt(web3j, sent.getTransactionHash());
        assertTrue(receipt.isStatusOK());
        assertEquals(signer.address(), receipt.getFrom());
        Transaction tx = web3j.ethGetTransactionByHash(sent.getTransactionHash()).send().getTransaction().orElseThrow();
        if (!eip155Free) {
            // EIP-155: v = 35 + 2 * chainId + parity
            long v = tx.getV();
            assertTrue(v == 35 + 2 * TestInfra.CHAIN_ID || v == 36 + 2 * TestInfra.CHAIN_ID, "v " + v);
        }
    }

    private static TransactionReceipt awaitReceipt(Web3j web3j, String hash) throws Exception {
        for (int i = 0; i < 200; i++) {
            Optional<TransactionReceipt> r = web3j.ethGetTransactionReceipt(hash).send().getTransactionReceipt();
            if (r.isPresent()) {
                return r.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not mined: " + hash);
    }

    private static byte[] der(BigInteger r, BigInteger s) {
        try {
            org.bouncycastle.asn1.ASN1EncodableVector v = new org.bouncycastle.asn1.ASN1EncodableVector();
            v.add(new org.bouncycastle.asn1.ASN1Integer(r));
            v.add(new org.bouncycastle.asn1.ASN1Integer(s));
            return new org.bouncycastle.asn1.DERSequence(v).getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
