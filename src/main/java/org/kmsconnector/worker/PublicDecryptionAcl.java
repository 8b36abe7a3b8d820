package org.kmsconnector.worker;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.worker.auth.Refusal;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;

/**
 * Public decryption is allowed only for handles their host chain's ACL marks with
 * isAllowedForDecryption. Every refusal is recoverable: the permission may still land.
 */
public final class PublicDecryptionAcl {
    private final HostChains hostChains;

    public PublicDecryptionAcl(HostChains hostChains) {
        this.hostChains = hostChains;
    }

    /** @return empty when every handle is allowed */
    public Optional<Refusal> check(List<Handle> handles) {
        for (Handle handle : handles) {
            Optional<HostChains.HostChain> chain = hostChains.get(handle.hostChainId());
            if (chain.isEmpty()) {
                return Optional.of(Refusal.recoverable("acl", "handle " + handle + " belongs to host chain "
                        + handle.hostChainId() + ", which is not in host_chains"));
            }
            try {
                if (!isAllowedForDecryption(chain.get(), handle)) {
                    return Optional.of(Refusal.recoverable("acl", "the ACL " + chain.get().aclAddress()
                            + " of host chain " + handle.hostChainId() + " does not allow the public decryption of "
                            + handle));
                }
            } catch (IOException e) {
                return Optional.of(Refusal.recoverable("network", "ACL call on host chain " + handle.hostChainId()
                        + " (" + chain.get().aclAddress() + ") failed: " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of(Refusal.recoverable("network", "interrupted while checking the ACL"));
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("rawtypes")
    private static boolean isAllowedForDecryption(HostChains.HostChain chain, Handle handle)
            throws IOException, InterruptedException {
        Function fn = new Function("isAllowedForDecryption", List.of(new Bytes32(handle.bytes())),
                List.of(new TypeReference<Bool>() {}));
        chain.permits().acquire();
        try {
            EthCall reply = chain.web3j().ethCall(Transaction.createEthCallTransaction(null, chain.aclAddress(),
                    FunctionEncoder.encode(fn)), DefaultBlockParameterName.LATEST).send();
            if (reply.hasError()) {
                throw new IOException(reply.getError().getMessage());
            }
            List<Type> out = FunctionReturnDecoder.decode(reply.getValue(), fn.getOutputParameters());
            if (out.isEmpty()) {
                throw new IOException("empty answer (is " + chain.aclAddress() + " an ACL contract?)");
            }
            return ((Bool) out.get(0)).getValue();
        } finally {
            chain.permits().release();
        }
    }
}
