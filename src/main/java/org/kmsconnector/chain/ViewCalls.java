package org.kmsconnector.chain;

import java.io.IOException;
import java.util.List;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.protocol.core.methods.response.EthCall;

/**
 * The answer of a view call (eth_call) as the function's outputs. Every failure names the call
 * and where it went ("isAllowed on the ACL 0x… of host chain 5 failed: …"), so a refusal or a
 * start-up error says which node and contract to look at.
 */
public final class ViewCalls {
    private ViewCalls() {}

    /** The node answered: an error, garbage, or nothing (no contract there) become IOExceptions. */
    @SuppressWarnings("rawtypes")
    public static List<Type> outputs(Function fn, EthCall reply, String where) throws IOException {
        if (reply.hasError()) {
            throw failure(fn, where, reply.getError().getMessage());
        }
        List<Type> out;
        try {
            out = FunctionReturnDecoder.decode(reply.getValue(), fn.getOutputParameters());
        } catch (RuntimeException e) {
            throw failure(fn, where, "undecodable answer " + reply.getValue());
        }
        if (out.size() != fn.getOutputParameters().size()) {
            throw failure(fn, where, "empty answer (is the contract deployed there?)");
        }
        return out;
    }

    /** The call did not get an answer (transport error, timeout). */
    public static IOException failure(Function fn, String where, String cause) {
        return new IOException(fn.getName() + " on " + where + " failed: " + cause);
    }
}
