package org.kmsconnector.devnet;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The Ethereum side of a dev chain: a ProtocolConfig mock whose active KMS context and epoch are
 * set, mined deep enough to be read at the finalized block, as the connector reads it.
 */
public record EthereumDeployment(String protocolConfig, BigInteger contextId, BigInteger epochId) {
    /** anvil's finalized tag trails latest by this many blocks (32-slot epochs, two of them). */
    public static final int FINALITY_DEPTH = 64;
    public static final BigInteger FIRST_CONTEXT = BigInteger.valueOf(7).shiftLeft(248).add(BigInteger.ONE);
    public static final BigInteger FIRST_EPOCH = BigInteger.valueOf(8).shiftLeft(248).add(BigInteger.ONE);

    public static EthereumDeployment deploy(DevChain chain) throws IOException {
        String address = chain.deploy(ContractArtifact.load("ProtocolConfigMock"));
        chain.send(address, new Function("setCurrentKmsContextAndEpoch",
                List.of(new Uint256(FIRST_CONTEXT), new Uint256(FIRST_EPOCH)), List.of()));
        chain.mine(FINALITY_DEPTH + 1);
        return new EthereumDeployment(address, FIRST_CONTEXT, FIRST_EPOCH);
    }
}
