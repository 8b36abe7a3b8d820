package org.kmsconnector.devnet;

import java.io.IOException;
import java.math.BigInteger;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The Ethereum side of a dev chain: a ProtocolConfig mock with a genesis KMS context of one node
 * and its first epoch active, and a KMSGeneration mock with one KMS node (the connector's wallet as tx sender, the KMS
 * Core double's key as signer, consensus at one response), mined deep enough to be final.
 */
public record EthereumDeployment(String protocolConfig, String kmsGeneration, BigInteger contextId,
        BigInteger epochId) {
    /** How far anvil's finalized tag trails latest: AnvilNode starts it with one slot per epoch. */
    public static final int FINALITY_DEPTH = AnvilNode.FINALITY_DEPTH;
    public static final BigInteger FIRST_CONTEXT = BigInteger.valueOf(7).shiftLeft(248).add(BigInteger.ONE);
    public static final BigInteger FIRST_EPOCH = BigInteger.valueOf(8).shiftLeft(248).add(BigInteger.ONE);
    public static final String GENESIS_SOFTWARE_VERSION = "v0.15.0";
    /** The storage URL the KMS node announces in ActivateKey / ActivateCrs. */
    public static final String KMS_STORAGE_URL = "http://kms-node-1.storage.local";

    public static EthereumDeployment deploy(DevChain chain) throws IOException {
        String protocolConfig = chain.deploy(ContractArtifact.load("ProtocolConfigMock"));
        new ProtocolConfigCalls(chain, protocolConfig).defineGenesisContext(
                ProtocolConfigCalls.oneNodeContext(GENESIS_SOFTWARE_VERSION));
        String kmsGeneration = chain.deploy(ContractArtifact.load("KMSGenerationMock"), new Address(protocolConfig),
                new DynamicArray<>(Address.class, new Address(DevAccounts.TX_SENDER.getAddress())),
                new DynamicArray<>(Address.class, new Address(DevAccounts.KMS_SIGNER.getAddress())),
                new DynamicArray<>(Utf8String.class, new Utf8String(KMS_STORAGE_URL)), new Uint256(BigInteger.ONE));
        chain.mine(FINALITY_DEPTH + 1);
        return new EthereumDeployment(protocolConfig, kmsGeneration, FIRST_CONTEXT, FIRST_EPOCH);
    }
}
