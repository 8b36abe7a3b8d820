package org.kmsconnector.listener;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/** The two JSON-RPC reads of the Gateway loop: the head block and the Decryption logs of a range. */
public final class GatewayLogFetcher {
    private final Web3j gateway;
    private final String decryptionAddress;

    public GatewayLogFetcher(Web3j gateway, String decryptionAddress) {
        this.gateway = gateway;
        this.decryptionAddress = decryptionAddress;
    }

    public long head() throws IOException {
        var reply = gateway.ethBlockNumber().send();
        if (reply.hasError()) {
            throw new IOException("eth_blockNumber failed: " + reply.getError().getMessage());
        }
        return reply.getBlockNumber().longValueExact();
    }

    public List<Log> fetch(BlockRange range) throws IOException {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(range.from())),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(range.to())), decryptionAddress);
        filter.addOptionalTopics(GatewayEventTopics.SUBSCRIBED.toArray(new String[0]));
        EthLog reply = gateway.ethGetLogs(filter).send();
        if (reply.hasError()) {
            throw new IOException("eth_getLogs " + range.from() + ".." + range.to() + " failed: "
                    + reply.getError().getMessage());
        }
        List<Log> logs = new ArrayList<>();
        for (EthLog.LogResult<?> result : reply.getLogs()) {
            logs.add((Log) result.get());
        }
        return logs;
    }
}
