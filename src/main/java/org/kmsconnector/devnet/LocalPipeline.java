package org.kmsconnector.devnet;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kmsconnector.chain.Hex;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A whole local pipeline: a dev database, anvil with the mock Gateway, an S3 server holding
 * attested ciphertexts, a KMS Core double, and the three services run from the built jar with
 * generated TOML files. The end-to-end tests and the demo drive it the same way.
 */
public final class LocalPipeline implements AutoCloseable {
    private static final String BUCKET = "ct-bucket";
    private static final String PUBLIC_DECRYPTION_TOPIC =
            "0x9bb088a53f1fe13ec84fa0a1d7b578b589e193268baaccc5e23f7ab785aa3dae";

    private final Path workDir;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<ServiceProcess> services = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private DevDatabase database;
    private AnvilNode anvil;
    private S3MockServer s3;
    private KmsCoreDouble kmsCore;
    private DevChain chain;
    private GatewayDeployment gateway;

    private LocalPipeline(Path workDir) {
        this.workDir = workDir;
    }

    /** Starts everything but the services. */
    public static LocalPipeline start(String serverDatabaseUrl, String databaseName, Path workDir, long chainId)
            throws Exception {
        LocalPipeline p = new LocalPipeline(workDir);
        try {
            Files.createDirectories(workDir);
            for (String service : List.of("gw-listener", "kms-worker", "tx-sender")) {
                Files.deleteIfExists(workDir.resolve(service + ".log")); // logs of an earlier run
            }
            p.database = p.keep(DevDatabase.create(serverDatabaseUrl, databaseName));
            p.anvil = p.keep(AnvilNode.start(chainId));
            p.s3 = p.keep(S3MockServer.start(workDir.resolve("s3"), List.of(BUCKET)));
            p.kmsCore = p.keep(KmsCoreDouble.start(0, DevAccounts.KMS_SIGNER.getEcKeyPair()));
            p.chain = p.keep(new DevChain(p.anvil.url(), chainId, DevAccounts.DEPLOYER));
            p.gateway = GatewayDeployment.deploy(p.chain, DevAccounts.TX_SENDER.getAddress(),
                    DevAccounts.KMS_SIGNER.getAddress(), DevAccounts.COPROCESSOR_SIGNER.getAddress(),
                    p.s3.bucketUrl(BUCKET));
            PipelineConfigs.write(workDir.resolve("config"), new PipelineConfigs.Endpoints(p.database.url(),
                    p.anvil.url(), chainId, p.gateway, p.kmsCore.endpoint(),
                    privateKeyHex()));
            return p;
        } catch (Exception e) {
            p.close();
            throw e;
        }
    }

    private static String privateKeyHex() {
        byte[] key = org.kmsconnector.chain.Uint256.toBigEndian(DevAccounts.TX_SENDER.getEcKeyPair().getPrivateKey());
        return Hex.prefixed(key);
    }

    /** Starts gw-listener, kms-worker and tx-sender from the jar, each logging to workDir/&lt;service&gt;.log. */
    public void startServices(Path jar) throws IOException {
        for (String service : List.of("gw-listener", "kms-worker", "tx-sender")) {
            startService(jar, service);
        }
    }

    public ServiceProcess startService(Path jar, String service) throws IOException {
        return startService(jar, service, Map.of());
    }

    /** Starts one service from the jar; {@code env} (KMS_CONNECTOR_*) overrides its TOML file. */
    public ServiceProcess startService(Path jar, String service, Map<String, String> env) throws IOException {
        ServiceProcess p = ServiceProcess.start(jar, service, config(service), workDir.resolve(service + ".log"), env);
        services.add(p);
        return p;
    }

    /** Waits until the gw-listener has polled once: requests sent from now on are seen. */
    public void awaitListenerPolling(java.time.Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (java.sql.Connection c = database.open(); java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery(
                            "SELECT block_number FROM last_block_polled_by_chain WHERE chain_name = 'gateway'")) {
                if (rs.next() && rs.getObject(1) != null) {
                    return;
                }
            } catch (java.sql.SQLException e) {
                // the schema is not migrated yet
            }
            for (ServiceProcess s : services) {
                if (!s.isAlive()) {
                    throw new IllegalStateException(s.service() + " exited:\n" + s.output());
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the gw-listener did not poll within " + timeout);
    }

    /** The live status page, served by the tx-sender of this pipeline. */
    public String statusUrl() {
        return "http://127.0.0.1:" + monitoringPort("tx-sender") + "/status";
    }

    /** The monitoring port PipelineConfigs gave a service. */
    public int monitoringPort(String service) {
        return PipelineConfigs.monitoringPort(anvil.chainId(), service);
    }

    public Path config(String service) {
        return workDir.resolve("config").resolve(service + ".toml");
    }

    /**
     * Publishes a fresh random ciphertext of the given FHE type as an attested coprocessor
     * upload and lets the host ACL allow its public decryption.
     * @return the handle and the ciphertext
     */
    public Ciphertext publishCiphertext(int fheType) throws IOException {
        return publishCiphertext(fheType, true);
    }

    /** As {@link #publishCiphertext(int)}; {@code allowed = false} leaves the ACL refusing it. */
    public Ciphertext publishCiphertext(int fheType, boolean allowed) throws IOException {
        byte[] seed = new byte[21];
        random.nextBytes(seed);
        byte[] handle = CiphertextPublisher.handle(seed, 0, anvil.chainId(), fheType, 0);
        byte[] body = new byte[256];
        random.nextBytes(body);
        CiphertextPublisher.publish(s3.bucketUrl(BUCKET), handle, body, DevAccounts.COPROCESSOR_SIGNER.getEcKeyPair(),
                BigInteger.ONE, 11);
        if (allowed) {
            chain.send(gateway.acl(), new Function("allowForDecryption",
                    List.of(new DynamicArray<>(Bytes32.class, new Bytes32(handle))), List.of()));
        }
        return new Ciphertext(handle, body, fheType);
    }

    public record Ciphertext(byte[] handle, byte[] body, int fheType) {}

    /** Asks the Decryption mock for a public decryption, as a dapp would; returns its decryption id. */
    public BigInteger requestPublicDecryption(List<byte[]> handles, byte[] extraData) throws IOException {
        List<Bytes32> words = handles.stream().map(Bytes32::new).toList();
        TransactionReceipt receipt = chain.send(gateway.decryption(), new Function("publicDecryptionRequest",
                List.of(new DynamicArray<>(Bytes32.class, words), new DynamicBytes(extraData)), List.of()));
        for (Log log : receipt.getLogs()) {
            if (PUBLIC_DECRYPTION_TOPIC.equals(log.getTopics().get(0))) {
                return new BigInteger(1, Hex.decode(log.getTopics().get(1)));
            }
        }
        throw new IOException("no PublicDecryptionRequest event in " + receipt.getTransactionHash());
    }

    /** What the Decryption mock holds for a request: the consensus result and the count of answers. */
    public record PublicResult(byte[] decryptedResult, byte[] extraData, long responseCount) {}

    @SuppressWarnings("rawtypes")
    public PublicResult publicResult(BigInteger decryptionId) throws IOException {
        List<Type> out = chain.call(gateway.decryption(), new Function("getPublicDecryptionResult",
                List.of(new Uint256(decryptionId)), List.of(new TypeReference<DynamicBytes>() {},
                        new TypeReference<DynamicBytes>() {}, new TypeReference<Uint256>() {})));
        return new PublicResult(((DynamicBytes) out.get(0)).getValue(), ((DynamicBytes) out.get(1)).getValue(),
                ((Uint256) out.get(2)).getValue().longValueExact());
    }

    /** Path-style URL of the coprocessor bucket the ciphertexts are published to. */
    public String bucketUrl() {
        return s3.bucketUrl(BUCKET);
    }

    public DevDatabase database() {
        return database;
    }

    public AnvilNode anvil() {
        return anvil;
    }

    public KmsCoreDouble kmsCore() {
        return kmsCore;
    }

    public DevChain chain() {
        return chain;
    }

    public GatewayDeployment gateway() {
        return gateway;
    }

    public List<ServiceProcess> services() {
        return services;
    }

    public Path workDir() {
        return workDir;
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(0, resource);
        return resource;
    }

    @Override
    public void close() {
        for (ServiceProcess s : services) {
            s.close();
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception ignored) {
                // best effort: the rest must still be stopped
            }
        }
    }
}
