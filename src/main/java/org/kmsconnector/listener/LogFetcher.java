package org.kmsconnector.listener;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The two JSON-RPC reads of a poll loop: the head it may read up to, and the logs of a range for
 * its contracts and topic0s (one eth_getLogs: several addresses, topic0s OR-ed). The Gateway loop
 * reads up to the latest block; the Ethereum loop only up to the finalized one.
 */
public final class LogFetcher {
    public enum Head { LATEST, FINALIZED }

    private final Web3j web3j;
    private final List<String> addresses;
    private final List<String> topics;
    private final Head head;

    public LogFetcher(Web3j web3j, List<String> addresses, List<String> topics, Head head) {
        this.web3j = web3j;
        this.addresses = List.copyOf(addresses);
        this.topics = List.copyOf(topics);
        this.head = head;
    }

    public long head() throws IOException {
        if (head == Head.LATEST) {
            var reply = web3j.ethBlockNumber().send();
            if (reply.hasError()) {
                throw new IOException("eth_blockNumber failed: " + reply.getError().getMessage());
            }
            return reply.getBlockNumber().longValueExact();
        }
        EthBlock reply = web3j.ethGetBlockByNumber(DefaultBlockParameterName.FINALIZED, false).send();
        if (reply.hasError()) {
            throw new IOException("eth_getBlockByNumber(finalized) failed: " + reply.getError().getMessage());
        }
        if (reply.getBlock() == null) {
            throw new IOException("the node has no finalized block");
        }
        return reply.getBlock().getNumber().longValueExact();
    }

    public List<Log> fetch(BlockRange range) throws IOException {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(range.from())),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(range.to())), addresses);
        filter.addOptionalTopics(topics.toArray(new String[0]));
        EthLog reply = web3j.ethGetLogs(filter).send();
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
