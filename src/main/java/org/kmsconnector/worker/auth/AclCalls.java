package org.kmsconnector.worker.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.chain.HostChainClient;
import org.kmsconnector.chain.ViewCalls;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.methods.response.EthCall;

/**
 * The ACL views of one host chain (contracts.md §8). Every failure, transport or revert or an
 * answer that does not decode, is an IOException whose message names the call, the chain id,
 * the ACL address and the cause, so a refusal built from it says where to look.
 */
public final class AclCalls {
    private final HostChainClient chain;

    public AclCalls(HostChainClient chain) {
        this.chain = chain;
    }

    public HostChainClient chain() {
        return chain;
    }

    public boolean isAllowedForDecryption(Handle handle) throws IOException, InterruptedException {
        return bool(new Function("isAllowedForDecryption", List.of(new Bytes32(handle.bytes())),
                List.of(new TypeReference<Bool>() {})));
    }

    public boolean isAllowed(Handle handle, String account) throws IOException, InterruptedException {
        return bool(new Function("isAllowed", List.of(new Bytes32(handle.bytes()), new Address(account)),
                List.of(new TypeReference<Bool>() {})));
    }

    public boolean isHandleDelegatedForUserDecryption(String delegator, String delegate, String contract,
            Handle handle) throws IOException, InterruptedException {
        return bool(new Function("isHandleDelegatedForUserDecryption", List.of(new Address(delegator),
                new Address(delegate), new Address(contract), new Bytes32(handle.bytes())),
                List.of(new TypeReference<Bool>() {})));
    }

    public BigInteger decryptionSignatureInvalidatedBefore(String account) throws IOException, InterruptedException {
        Type<?> out = single(new Function("decryptionSignatureInvalidatedBefore", List.of(new Address(account)),
                List.of(new TypeReference<Uint256>() {})));
        return ((Uint256) out).getValue();
    }

    private boolean bool(Function fn) throws IOException, InterruptedException {
        return ((Bool) single(fn)).getValue();
    }

    @SuppressWarnings("rawtypes")
    private Type<?> single(Function fn) throws IOException, InterruptedException {
        String where = "the ACL " + chain.aclAddress() + " of host chain " + chain.chainId();
        EthCall reply;
        try {
            reply = HostRpc.call(chain, chain.aclAddress(), FunctionEncoder.encode(fn), null);
        } catch (IOException e) {
            throw ViewCalls.failure(fn, where, e.getMessage());
        }
        return ViewCalls.outputs(fn, reply, where).get(0);
    }
}
