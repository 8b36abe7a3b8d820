package org.kmsconnector.worker.auth;

import java.io.IOException;
import java.math.BigInteger;
import org.kmsconnector.chain.HostChainClient;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;

/**
 * One eth_call on a host chain at latest, holding one of the chain's permits for its duration
 * (host_rpc_max_concurrent_calls); the client itself is bounded by host_rpc_call_timeout.
 * A JSON-RPC error (a revert) comes back in the reply; a transport failure is an IOException.
 */
final class HostRpc {
    private HostRpc() {}

    /** @param gas the gas cap, or null for the node's default; there is never a {@code from} */
    static EthCall call(HostChainClient chain, String to, String data, BigInteger gas)
            throws IOException, InterruptedException {
        Transaction tx = gas == null
                ? Transaction.createEthCallTransaction(null, to, data)
                : Transaction.createFunctionCallTransaction(null, null, null, gas, to, data);
        chain.permits().acquire();
        try {
            return chain.web3j().ethCall(tx, DefaultBlockParameterName.LATEST).send();
        } finally {
            chain.permits().release();
        }
    }
}
