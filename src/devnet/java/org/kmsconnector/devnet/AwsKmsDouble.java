package org.kmsconnector.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/**
 * A stand-in for AWS KMS: a JDK HTTP server on a loopback port speaking the KMS JSON 1.1
 * protocol ({@code X-Amz-Target: TrentService.GetPublicKey} / {@code TrentService.Sign}), so the
 * real SDK client, pointed at it with an endpoint override, runs its whole code path (request
 * signing, serialisation, error mapping). Keys are secp256k1 (ECC_SECG_P256K1). Like real KMS,
 * {@code Sign} with {@code MessageType=DIGEST} signs the given 32 bytes as the hash, with a random
 * k, and does <em>not</em> normalise s: about half of its signatures are high-s.
 */
public final class AwsKmsDouble implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ECDomainParameters CURVE = new ECDomainParameters(Sign.CURVE_PARAMS.getCurve(),
            Sign.CURVE_PARAMS.getG(), Sign.CURVE_PARAMS.getN(), Sign.CURVE_PARAMS.getH());
    private static final String REGION = "us-east-1";

    private final HttpServer server;
    private final Map<String, ECKeyPair> keys;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger highS = new AtomicInteger();
    private final AtomicInteger unsigned = new AtomicInteger();

    private AwsKmsDouble(HttpServer server, Map<String, ECKeyPair> keys) {
        this.server = server;
        this.keys = Map.copyOf(keys);
    }

    /** Serves the given keys (key id → secp256k1 key pair) on 127.0.0.1, a free port. */
    public static AwsKmsDouble start(Map<String, ECKeyPair> keys) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            AwsKmsDouble kms = new AwsKmsDouble(server, keys);
            server.createContext("/", kms::handle);
            server.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "aws-kms-double");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return kms;
        } catch (IOException e) {
            throw new UncheckedIOException("AWS KMS double cannot listen", e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String region() {
        return REGION;
    }

    /** Calls received per operation ("GetPublicKey", "Sign"), failed ones included. */
    public int calls(String operation) {
        AtomicInteger n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    /** Signatures returned with s in the upper half of the curve order. */
    public int highSSignatures() {
        return highS.get();
    }

    /** Requests that came without an AWS SigV4 Authorization header (the SDK always signs). */
    public int unsignedRequests() {
        return unsigned.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 ")) {
                unsigned.incrementAndGet();
                error(exchange, 400, "MissingAuthenticationTokenException", "Request is missing Authentication Token");
                return;
            }
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            String operation = target == null ? "" : target.replace("TrentService.", "");
            calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
            ECKeyPair key = keys.get(body.path("KeyId").asText());
            if (!"GetPublicKey".equals(operation) && !"Sign".equals(operation)) {
                error(exchange, 400, "UnknownOperationException", "unsupported operation " + target);
            } else if (key == null) {
                error(exchange, 400, "NotFoundException", "Key '" + body.path("KeyId").asText() + "' does not exist");
            } else if ("GetPublicKey".equals(operation)) {
                getPublicKey(exchange, body.path("KeyId").asText(), key);
            } else {
                sign(exchange, body, key);
            }
        } catch (RuntimeException e) {
            error(exchange, 500, "KMSInternalException", String.valueOf(e.getMessage()));
        } finally {
            exchange.close();
        }
    }

    private void getPublicKey(HttpExchange exchange, String keyId, ECKeyPair key) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        out.put("KeyId", arn(keyId));
        out.put("PublicKey", Base64.getEncoder().encodeToString(spki(key)));
        out.put("KeySpec", "ECC_SECG_P256K1");
        out.put("CustomerMasterKeySpec", "ECC_SECG_P256K1");
        out.put("KeyUsage", "SIGN_VERIFY");
        out.putArray("SigningAlgorithms").add("ECDSA_SHA_256");
        reply(exchange, 200, out);
    }

    private void sign(HttpExchange exchange, JsonNode body, ECKeyPair key) throws IOException {
        if (!"ECDSA_SHA_256".equals(body.path("SigningAlgorithm").asText())) {
            error(exchange, 400, "ValidationException", "SigningAlgorithm must be ECDSA_SHA_256 for this key");
            return;
        }
        byte[] message = Base64.getDecoder().decode(body.path("Message").asText());
        if (!"DIGEST".equals(body.path("MessageType").asText()) || message.length != 32) {
            // RAW would make KMS hash again with SHA-256: never what an Ethereum wallet wants
            error(exchange, 400, "ValidationException", "this double signs 32-byte DIGEST messages only");
            return;
        }
        ECDSASigner signer = new ECDSASigner(); // random k, as a hardware module does
        signer.init(true, new ParametersWithRandom(new ECPrivateKeyParameters(key.getPrivateKey(), CURVE), random));
        BigInteger[] rs = signer.generateSignature(message);
        if (rs[1].compareTo(CURVE.getN().shiftRight(1)) > 0) {
            highS.incrementAndGet();
        }
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(rs[0]));
        v.add(new ASN1Integer(rs[1]));
        ObjectNode out = JSON.createObjectNode();
        out.put("KeyId", arn(body.path("KeyId").asText()));
        out.put("Signature", Base64.getEncoder().encodeToString(new DERSequence(v).getEncoded()));
        out.put("SigningAlgorithm", "ECDSA_SHA_256");
        reply(exchange, 200, out);
    }

    /** The DER SubjectPublicKeyInfo KMS returns: id-ecPublicKey with the secp256k1 curve OID. */
    static byte[] spki(ECKeyPair key) throws IOException {
        byte[] point = Sign.publicPointFromPrivate(key.getPrivateKey()).getEncoded(false);
        return new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                SECObjectIdentifiers.secp256k1), point).getEncoded("DER");
    }

    private static String arn(String keyId) {
        return keyId.startsWith("arn:") ? keyId : "arn:aws:kms:" + REGION + ":111122223333:key/" + keyId;
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        ObjectNode out = JSON.createObjectNode();
        out.put("__type", type);
        out.put("message", message);
        reply(exchange, status, out);
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().put("Content-Type", List.of("application/x-amz-json-1.1"));
        exchange.getResponseHeaders().set("x-amzn-RequestId", Long.toHexString(System.nanoTime()));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        if (server.getExecutor() instanceof java.util.concurrent.ExecutorService pool) {
            pool.shutdownNow();
        }
    }

    /** Environment variables the default AWS credentials chain of a child process reads (test values). */
    public Map<String, String> childEnvironment() {
        return Map.of("AWS_ACCESS_KEY_ID", "AKIDTESTDOUBLE", "AWS_SECRET_ACCESS_KEY", "test-secret-not-real",
                "AWS_REGION", REGION, "AWS_EC2_METADATA_DISABLED", "true");
    }

}
