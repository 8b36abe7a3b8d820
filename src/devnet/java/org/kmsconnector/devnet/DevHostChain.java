package org.kmsconnector.devnet;

import java.io.IOException;
import java.util.List;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;

/**
 * A host chain of a dev pipeline, apart from the Gateway: its own anvil and chain id, the ACL
 * the kms-worker asks about handles born there, and the dapp side of permissions (FHE.allow,
 * delegations). Smart accounts of users (ERC-1271) are deployed here too. The pipeline also uses
 * it as Ethereum (the canonical host chain), where ProtocolConfig and KMSGeneration live: it mines
 * a block every second besides each transaction, so the finalized tag moves on by itself, as on
 * a real chain, and events emitted here become final two blocks later.
 */
public final class DevHostChain implements AutoCloseable {
    private final AnvilNode anvil;
    private final DevChain chain;
    private final String acl;

    private DevHostChain(AnvilNode anvil, DevChain chain, String acl) {
        this.anvil = anvil;
        this.chain = chain;
        this.acl = acl;
    }

    public static DevHostChain start(long chainId) throws IOException {
        AnvilNode anvil = AnvilNode.start(chainId, "--block-time", "1", "--mixed-mining");
        try {
            DevChain chain = new DevChain(anvil.url(), chainId, DevAccounts.DEPLOYER);
            return new DevHostChain(anvil, chain, chain.deploy(ContractArtifact.load("ACLMock")));
        } catch (IOException | RuntimeException e) {
            anvil.close();
            throw e;
        }
    }

    public long chainId() {
        return anvil.chainId();
    }

    public String url() {
        return anvil.url();
    }

    /** Transactions on this chain from the deployer account. */
    public DevChain chain() {
        return chain;
    }

    public String acl() {
        return acl;
    }

    /** The host ACL lets anyone publicly decrypt {@code handle} (FHE.makePubliclyDecryptable). */
    public void allowForDecryption(byte[] handle) throws IOException {
        chain.send(acl, new Function("allowForDecryption",
                List.of(new DynamicArray<>(Bytes32.class, new Bytes32(handle))), List.of()));
    }

    /** The host ACL lets {@code account} (a user or a contract) use {@code handle} (FHE.allow). */
    public void allow(byte[] handle, String account) throws IOException {
        chain.send(acl, new Function("allow", List.of(new Bytes32(handle), new Address(account)), List.of()));
    }

    /** {@code delegator} lets {@code delegate} user-decrypt {@code handle} under {@code contract}. */
    public void delegateUserDecryption(String delegator, String delegate, String contract, byte[] handle)
            throws IOException {
        chain.send(acl, new Function("delegateForUserDecryption", List.of(new Address(delegator),
                new Address(delegate), new Address(contract), new Bytes32(handle)), List.of()));
    }

    /** A smart account (ERC-1271) whose signatures are its owner's; returns its address. */
    public String deploySmartAccount(String owner) throws IOException {
        return chain.deploy(ContractArtifact.load("ERC1271WalletMock"), new Address(owner));
    }

    @Override
    public void close() {
        chain.close();
        anvil.close();
    }
}
