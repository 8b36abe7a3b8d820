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
import org.kmsconnector.db.OperationTable;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
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
    /** D2 (legacy and delegated) and D3 (unified) user decryption requests */
    private static final List<String> USER_DECRYPTION_TOPICS = List.of(
            "0xc71e32c80f3109c673a9adfcded0b3b2093212ab284084a0e03a281dee2bdd5f",
            "0x8ed4fab8b1d050676cd7d7d9fa448d5d22113375fab8ad4dc690e54593c527bf");
    /** Validity of the legacy requests made here, in days (the unified ones say theirs in seconds). */
    private static final long LEGACY_VALIDITY_DAYS = 1;

    private final Path workDir;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<ServiceProcess> services = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Integer> monitoringPorts = monitoringPorts(FreePorts.next(3));
    private DevDatabase database;
    private AnvilNode anvil;
    private S3MockServer s3;
    private KmsCoreDouble kmsCore;
    private DevChain chain;
    private GatewayDeployment gateway;
    private EthereumDeployment ethereum;
    private DevHostChain host;

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
            p.host = p.keep(DevHostChain.start(chainId + 1));
            p.gateway = GatewayDeployment.deploy(p.chain, DevAccounts.TX_SENDER.getAddress(),
                    DevAccounts.KMS_SIGNER.getAddress(), DevAccounts.COPROCESSOR_SIGNER.getAddress(),
                    p.s3.bucketUrl(BUCKET));
            p.ethereum = EthereumDeployment.deploy(p.host.chain()); // Ethereum is the canonical host chain
            PipelineConfigs.write(workDir.resolve("config"), new PipelineConfigs.Endpoints(p.database.url(),
                    p.anvil.url(), chainId, p.gateway, p.ethereum, p.host, p.kmsCore.endpoint(), privateKeyHex(),
                    p.monitoringPorts));
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
        return startService(jar, service, env, service);
    }

    /**
     * As above, logging to workDir/&lt;logName&gt;.log: for a second instance of a service, which
     * gets a monitoring port of its own (unless {@code env} names one).
     */
    public ServiceProcess startService(Path jar, String service, Map<String, String> env, String logName)
            throws IOException {
        Map<String, String> instanceEnv = new java.util.HashMap<>(env);
        if (!logName.equals(service)) {
            instanceEnv.putIfAbsent("KMS_CONNECTOR_MONITORING_ENDPOINT", "127.0.0.1:" + FreePorts.next(1).get(0));
        }
        ServiceProcess p = ServiceProcess.start(jar, service, config(service), workDir.resolve(logName + ".log"),
                instanceEnv);
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

    private static Map<String, Integer> monitoringPorts(List<Integer> ports) {
        return Map.of("gw-listener", ports.get(0), "kms-worker", ports.get(1), "tx-sender", ports.get(2));
    }

    /** The monitoring port PipelineConfigs gave a service. */
    public int monitoringPort(String service) {
        return monitoringPorts.get(service);
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
        byte[] handle = CiphertextPublisher.handle(seed, 0, host.chainId(), fheType, 0);
        byte[] body = new byte[256];
        random.nextBytes(body);
        CiphertextPublisher.publish(s3.bucketUrl(BUCKET), handle, body, DevAccounts.COPROCESSOR_SIGNER.getEcKeyPair(),
                BigInteger.ONE, 11);
        if (allowed) {
            host.allowForDecryption(handle);
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

    /** Host ACL: lets {@code account} (a user or a contract) use {@code handle}, as FHE.allow does. */
    public void allow(byte[] handle, String account) throws IOException {
        host.allow(handle, account);
    }

    /** Host ACL: {@code delegator} lets {@code delegate} user-decrypt {@code handle} under {@code contract}. */
    public void delegateUserDecryption(String delegator, String delegate, String contract, byte[] handle)
            throws IOException {
        host.delegateUserDecryption(delegator, delegate, contract, handle);
    }

    /** The domain users sign requests under: the Decryption contract, on the handles' host chain. */
    public UserDecryptionCalls.Domain userRequestDomain(List<byte[]> handles) {
        return new UserDecryptionCalls.Domain("Decryption", "1", UserDecryptionCalls.hostChainOf(handles),
                gateway.decryption());
    }

    /** A legacy user decryption of {@code handles} under {@code contract}, valid from now on; its decryption id. */
    public BigInteger requestUserDecryption(Credentials user, List<byte[]> handles, String contract, byte[] publicKey,
            byte[] extraData) throws IOException {
        return userDecryptionId(chain.send(gateway.decryption(), UserDecryptionCalls.legacy(userRequestDomain(handles),
                user, handles, contract, nowSeconds(), LEGACY_VALIDITY_DAYS, publicKey, extraData)));
    }

    /** A delegated legacy user decryption: {@code delegate} decrypts {@code delegator}'s handles. */
    public BigInteger requestDelegatedUserDecryption(String delegator, Credentials delegate, List<byte[]> handles,
            String contract, byte[] publicKey, byte[] extraData) throws IOException {
        return userDecryptionId(chain.send(gateway.decryption(), UserDecryptionCalls.delegated(
                userRequestDomain(handles), delegator, delegate, handles, contract, nowSeconds(), LEGACY_VALIDITY_DAYS,
                publicKey, extraData)));
    }

    /** A unified (RFC016) user decryption, signed by {@code user} over the given validity window. */
    public BigInteger requestUnifiedUserDecryption(Credentials user, List<UserDecryptionCalls.Entry> entries,
            List<String> allowedContracts, long startTimestamp, long durationSeconds, byte[] publicKey,
            byte[] extraData) throws IOException {
        List<byte[]> handles = entries.stream().map(UserDecryptionCalls.Entry::handle).toList();
        return userDecryptionId(chain.send(gateway.decryption(), UserDecryptionCalls.unified(
                userRequestDomain(handles), user, entries, allowedContracts, startTimestamp, durationSeconds,
                publicKey, extraData)));
    }

    /** Any user decryption request call (e.g. one the connector must refuse); its decryption id. */
    public BigInteger submitUserDecryption(Function call) throws IOException {
        return userDecryptionId(chain.send(gateway.decryption(), call));
    }

    private static BigInteger userDecryptionId(TransactionReceipt receipt) throws IOException {
        for (Log log : receipt.getLogs()) {
            if (USER_DECRYPTION_TOPICS.contains(log.getTopics().get(0))) {
                return new BigInteger(1, Hex.decode(log.getTopics().get(1)));
            }
        }
        throw new IOException("no UserDecryptionRequest event in " + receipt.getTransactionHash());
    }

    private static long nowSeconds() {
        return java.time.Instant.now().getEpochSecond();
    }

    /** What the Decryption mock holds for a user decryption: the accepted shares, in arrival order. */
    public record UserResult(List<byte[]> shares, long responseCount) {}

    @SuppressWarnings({"rawtypes", "unchecked"})
    public UserResult userResult(BigInteger decryptionId) throws IOException {
        List<Type> out = chain.call(gateway.decryption(), new Function("getUserDecryptionResult",
                List.of(new Uint256(decryptionId)), List.of(new TypeReference<DynamicArray<DynamicBytes>>() {},
                        new TypeReference<Uint256>() {})));
        List<byte[]> shares = ((DynamicArray<DynamicBytes>) out.get(0)).getValue().stream()
                .map(DynamicBytes::getValue).toList();
        return new UserResult(shares, ((Uint256) out.get(1)).getValue().longValueExact());
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

    /** The host chain the handles are born on, with its ACL. */
    public DevHostChain host() {
        return host;
    }

    public EthereumDeployment ethereum() {
        return ethereum;
    }

    /** The owner's calls to KMSGeneration on the Ethereum chain, and what its events say. */
    public KeyManagementCalls keyManagement() {
        return new KeyManagementCalls(host.chain(), ethereum.kmsGeneration());
    }

    /** The status of a row of a catalogue table, as text; "not seen" before the listener stored it. */
    public String rowStatus(OperationTable table, BigInteger id) throws java.sql.SQLException {
        try (java.sql.Connection c = database.open(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT status::text FROM " + table.name() + " WHERE " + table.key() + " = ?")) {
            ps.setBytes(1, org.kmsconnector.chain.Uint256.toLittleEndian(id));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "not seen";
            }
        }
    }

    /** The owner's calls to ProtocolConfig on the Ethereum chain (contexts, epochs), and what its events say. */
    public ProtocolConfigCalls protocolConfig() {
        return new ProtocolConfigCalls(host.chain(), ethereum.protocolConfig());
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
