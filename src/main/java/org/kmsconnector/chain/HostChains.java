package org.kmsconnector.chain;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.web3j.protocol.Web3j;

/**
 * The host chains of host_chains, by chain id: each with its RPC client, its ACL address and a
 * bound on calls in flight (host_rpc_max_concurrent_calls), so one slow node cannot absorb
 * every worker thread.
 */
public final class HostChains implements AutoCloseable {

    private final Map<Long, HostChainClient> byId = new HashMap<>();

    public void add(long chainId, Web3j web3j, String aclAddress, int maxConcurrentCalls) {
        if (byId.putIfAbsent(chainId, new HostChainClient(chainId, web3j, aclAddress,
                new Semaphore(maxConcurrentCalls))) != null) {
            throw new IllegalArgumentException("host chain " + chainId + " is configured twice");
        }
    }

    public Optional<HostChainClient> get(long chainId) {
        return Optional.ofNullable(byId.get(chainId));
    }

    public Collection<HostChainClient> all() {
        return byId.values();
    }

    @Override
    public void close() {
        byId.values().forEach(c -> c.web3j().shutdown());
    }
}
