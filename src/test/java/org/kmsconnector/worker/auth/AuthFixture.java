package org.kmsconnector.worker.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.config.ConfigLoader;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.HostChainConfig;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.devnet.AnvilNode;
import org.kmsconnector.devnet.CiphertextPublisher;
import org.kmsconnector.devnet.ContractArtifact;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.DevChain;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.chain.HostChains;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * The real parts of the authorisation tests: the shared anvil as the Gateway (with a
 * DecryptionMock), a second anvil with its own chain id as the host chain (with an ACLMock),
 * a worker configuration pointing at both, and the host chains built from it the way the
 * module builds them.
 */
final class AuthFixture implements AutoCloseable {
    static final long HOST_CHAIN_ID = 12345;
    private static final SecureRandom RANDOM = new SecureRandom();

    final AnvilNode hostNode;
    final DevChain host;
    final DevChain gateway;
    final String decryption;
    final String acl;
    final ConnectorConfig config;
    final HostChains hostChains;
    final Web3j gatewayClient;

    private AuthFixture(AnvilNode hostNode, DevChain host, DevChain gateway, String decryption, String acl,
            ConnectorConfig config, Web3j gatewayClient) {
        this.hostNode = hostNode;
        this.host = host;
        this.gateway = gateway;
        this.decryption = decryption;
        this.acl = acl;
        this.config = config;
        this.hostChains = hostChains(config);
        this.gatewayClient = gatewayClient;
    }

    static AuthFixture start() throws Exception {
        AnvilNode gatewayNode = TestInfra.anvil();
        DevChain gateway = new DevChain(gatewayNode.url(), gatewayNode.chainId(), DevAccounts.DEPLOYER);
        String gatewayConfig = gateway.deploy(ContractArtifact.load("GatewayConfigMock"));
        String decryption = gateway.deploy(ContractArtifact.load("DecryptionMock"), new Address(gatewayConfig));
        AnvilNode hostNode = AnvilNode.start(HOST_CHAIN_ID);
        DevChain host = new DevChain(hostNode.url(), HOST_CHAIN_ID, DevAccounts.DEPLOYER);
        String acl = host.deploy(ContractArtifact.load("ACLMock"));
        return new AuthFixture(hostNode, host, gateway, decryption, acl,
                config(gatewayNode, decryption, List.of(new HostChainConfig(hostNode.url(), HOST_CHAIN_ID, acl))),
                Web3jClients.create(gatewayNode.url(), Duration.ofSeconds(10)));
    }

    /** A kms-worker configuration as an operator's environment would give it. */
    static ConnectorConfig config(AnvilNode gatewayNode, String decryption, List<HostChainConfig> hosts) throws Exception {
        return config(gatewayNode, decryption, hosts, Map.of());
    }

    /** @param extra more options, by env name without the KMS_CONNECTOR_ prefix */
    static ConnectorConfig config(AnvilNode gatewayNode, String decryption, List<HostChainConfig> hosts,
            Map<String, String> extra) throws Exception {
        String placeholder = "0x00000000000000000000000000000000000000ee";
        Map<String, String> env = new HashMap<>();
        env.put("KMS_CONNECTOR_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/unused");
        env.put("KMS_CONNECTOR_GATEWAY_URL", gatewayNode.url());
        env.put("KMS_CONNECTOR_GATEWAY_CHAIN_ID", Long.toString(gatewayNode.chainId()));
        env.put("KMS_CONNECTOR_ETHEREUM_URL", gatewayNode.url());
        env.put("KMS_CONNECTOR_ETHEREUM_CHAIN_ID", Long.toString(gatewayNode.chainId()));
        env.put("KMS_CONNECTOR_DECRYPTION_CONTRACT__ADDRESS", decryption);
        env.put("KMS_CONNECTOR_KMS_GENERATION_CONTRACT__ADDRESS", placeholder);
        env.put("KMS_CONNECTOR_PROTOCOL_CONFIG_CONTRACT__ADDRESS", placeholder);
        env.put("KMS_CONNECTOR_GATEWAY_CONFIG_CONTRACT__ADDRESS", placeholder);
        env.put("KMS_CONNECTOR_KMS_CORE_ENDPOINTS", "http://127.0.0.1:50051");
        env.put("KMS_CONNECTOR_HOST_RPC_CALL_TIMEOUT", "3s");
        StringBuilder json = new StringBuilder("[");
        for (HostChainConfig h : hosts) {
            json.append(json.length() > 1 ? "," : "").append("{\"url\":\"").append(h.url()).append("\",\"chainId\":")
                    .append(h.chainId()).append(",\"aclAddress\":\"").append(h.aclAddress()).append("\"}");
        }
        env.put("KMS_CONNECTOR_HOST_CHAINS", json.append("]").toString());
        extra.forEach((k, v) -> env.put("KMS_CONNECTOR_" + k.toUpperCase(), v));
        return ConfigLoader.load(ServiceKind.KMS_WORKER, Optional.empty(), env);
    }

    /** As KmsWorkerModule builds them. */
    static HostChains hostChains(ConnectorConfig cfg) {
        HostChains chains = new HostChains();
        for (HostChainConfig h : cfg.hostChains()) {
            chains.add(h.chainId(), Web3jClients.create(h.url(), cfg.duration("host_rpc_call_timeout")),
                    h.aclAddress(), cfg.integer("host_rpc_max_concurrent_calls"));
        }
        return chains;
    }

    static Handle handle(long chainId) {
        byte[] hash = new byte[21];
        RANDOM.nextBytes(hash);
        return new Handle(CiphertextPublisher.handle(hash, 0, chainId, 5, 0));
    }

    static Handle handle() {
        return handle(HOST_CHAIN_ID);
    }

    static ECKeyPair key() {
        try {
            return Keys.createEcKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String address(ECKeyPair key) {
        return CiphertextPublisher.address(key);
    }

    static String randomAddress() {
        return address(key());
    }

    static byte[] raw(String address) {
        return Hex.decode(address);
    }

    void allow(Handle handle, String account) throws IOException {
        host.send(acl, new Function("allow", List.of(new Bytes32(handle.bytes()), new Address(account)), List.of()));
    }

    void delegate(String delegator, String delegate, String contract, Handle handle) throws IOException {
        host.send(acl, new Function("delegateForUserDecryption", List.of(new Address(delegator), new Address(delegate),
                new Address(contract), new Bytes32(handle.bytes())), List.of()));
    }

    void invalidateBefore(String account, long timestamp) throws IOException {
        host.send(acl, new Function("invalidateDecryptionSignaturesBefore", List.of(new Address(account),
                new org.web3j.abi.datatypes.generated.Uint256(BigInteger.valueOf(timestamp))), List.of()));
    }

    /**
     * A Gateway transaction from {@code sender} with any calldata, mined whether it reverts or
     * not: the connector reads a request transaction's calldata, not its outcome.
     */
    String gatewayTx(Credentials sender, String to, String data) throws Exception {
        Web3j web3j = gateway.web3j();
        RawTransactionManager tm = new RawTransactionManager(web3j, sender, TestInfra.CHAIN_ID);
        BigInteger base = web3j.ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false)
                .send().getBlock().getBaseFeePerGas();
        BigInteger tip = BigInteger.valueOf(1_000_000_000L);
        EthSendTransaction sent = tm.sendEIP1559Transaction(TestInfra.CHAIN_ID, tip, base.multiply(BigInteger.TWO)
                .add(tip), BigInteger.valueOf(1_000_000), to, data, BigInteger.ZERO, false);
        if (sent.hasError()) {
            throw new IOException("transaction rejected: " + sent.getError().getMessage());
        }
        TransactionReceipt receipt = new PollingTransactionReceiptProcessor(web3j, 50, 400)
                .waitForTransactionReceipt(sent.getTransactionHash());
        return receipt.getTransactionHash();
    }

    @Override
    public void close() {
        hostChains.close();
        gatewayClient.shutdown();
        host.close();
        gateway.close();
        hostNode.close();
    }
}
