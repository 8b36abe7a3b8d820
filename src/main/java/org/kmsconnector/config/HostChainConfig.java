package org.kmsconnector.config;

/** One host_chains entry: where a host chain's RPC is and which ACL contract guards its handles. */
public record HostChainConfig(String url, long chainId, String aclAddress) {}
