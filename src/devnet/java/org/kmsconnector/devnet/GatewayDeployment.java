package org.kmsconnector.devnet;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The mock Gateway of a dev chain: GatewayConfig (coprocessor registry, KMS nodes), Decryption
 * and a host-chain ACL, deployed and wired for one KMS node and one coprocessor.
 */
public record GatewayDeployment(String gatewayConfig, String decryption, String acl) {

    /**
     * @param kmsTxSender the connector wallet's address (the KMS node's tx sender)
     * @param kmsSigner the KMS Core's signing address
     * @param coprocessorSigner signer of the ciphertext attestations
     * @param bucketUrl the coprocessor's S3 bucket URL
     */
    public static GatewayDeployment deploy(DevChain chain, String kmsTxSender, String kmsSigner,
            String coprocessorSigner, String bucketUrl) throws IOException {
        String config = chain.deploy(ContractArtifact.load("GatewayConfigMock"));
        String decryption = chain.deploy(ContractArtifact.load("DecryptionMock"), new Address(config));
        String acl = chain.deploy(ContractArtifact.load("ACLMock"));
        chain.send(config, new Function("addKmsNode",
                List.of(new Address(kmsTxSender), new Address(kmsSigner)), List.of()));
        chain.send(config, new Function("addCoprocessor", List.of(new Address(coprocessorSigner),
                new Address(coprocessorSigner), new Utf8String(bucketUrl)), List.of()));
        chain.send(config, new Function("setCoprocessorMajorityThreshold",
                List.of(new Uint256(BigInteger.ONE)), List.of()));
        return new GatewayDeployment(config, decryption, acl);
    }
}
