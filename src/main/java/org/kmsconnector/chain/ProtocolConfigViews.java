package org.kmsconnector.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;

/**
 * The ProtocolConfig views (contracts.md §7.3). Which KMS contexts and epochs are valid is read
 * at the finalized block, so a re-org cannot make the connector trust a pair that vanishes; a
 * context's anchor at latest (its creation event is final once the worker gets it). Any failure
 * (transport, revert, an answer that does not decode) is an IOException.
 */
public final class ProtocolConfigViews {
    public record ContextAndEpoch(BigInteger contextId, BigInteger epochId) {}

    /** Where a context was defined, and the hash of its NewKmsContext data; (0, 0) when unknown. */
    public record Anchor(BigInteger emissionBlockNumber, byte[] contextInfoHash) {
        public boolean known() {
            return emissionBlockNumber.signum() != 0 || new BigInteger(1, contextInfoHash).signum() != 0;
        }
    }

    private final Web3j ethereum;
    private final String address;

    public ProtocolConfigViews(Web3j ethereum, String address) {
        this.ethereum = ethereum;
        this.address = address;
    }

    public String address() {
        return address;
    }

    public ContextAndEpoch currentKmsContextAndEpoch() throws IOException {
        List<Type> out = call(new Function("getCurrentKmsContextAndEpoch", List.of(),
                List.of(new TypeReference<org.web3j.abi.datatypes.generated.Uint256>() {},
                        new TypeReference<org.web3j.abi.datatypes.generated.Uint256>() {})));
        return new ContextAndEpoch((BigInteger) out.get(0).getValue(), (BigInteger) out.get(1).getValue());
    }

    public boolean isValidKmsContext(BigInteger contextId) throws IOException {
        return (Boolean) call(new Function("isValidKmsContext",
                List.of(new org.web3j.abi.datatypes.generated.Uint256(contextId)),
                List.of(new TypeReference<Bool>() {}))).get(0).getValue();
    }

    public boolean isValidEpochForContext(BigInteger contextId, BigInteger epochId) throws IOException {
        return (Boolean) call(new Function("isValidEpochForContext",
                List.of(new org.web3j.abi.datatypes.generated.Uint256(contextId),
                        new org.web3j.abi.datatypes.generated.Uint256(epochId)),
                List.of(new TypeReference<Bool>() {}))).get(0).getValue();
    }

    public Anchor kmsContextAnchor(BigInteger contextId) throws IOException {
        List<Type> out = call(new Function("getKmsContextAnchor",
                List.of(new org.web3j.abi.datatypes.generated.Uint256(contextId)),
                List.of(new TypeReference<org.web3j.abi.datatypes.generated.Uint256>() {},
                        new TypeReference<Bytes32>() {})), DefaultBlockParameterName.LATEST);
        return new Anchor((BigInteger) out.get(0).getValue(), (byte[]) out.get(1).getValue());
    }

    @SuppressWarnings("rawtypes")
    private List<Type> call(Function fn) throws IOException {
        return call(fn, DefaultBlockParameterName.FINALIZED);
    }

    @SuppressWarnings("rawtypes")
    private List<Type> call(Function fn, DefaultBlockParameterName block) throws IOException {
        String where = "ProtocolConfig " + address + " at the " + block.getValue() + " block";
        EthCall reply;
        try {
            reply = ethereum.ethCall(Transaction.createEthCallTransaction(null, address, FunctionEncoder.encode(fn)),
                    block).send();
        } catch (IOException e) {
            throw ViewCalls.failure(fn, where, e.getMessage());
        }
        return ViewCalls.outputs(fn, reply, where);
    }
}
