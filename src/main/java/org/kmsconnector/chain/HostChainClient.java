package org.kmsconnector.chain;

import java.util.concurrent.Semaphore;
import org.web3j.protocol.Web3j;

/** One host chain as the kms-worker talks to it: its bounded RPC client, its ACL and its call permits. */
public record HostChainClient(long chainId, Web3j web3j, String aclAddress, Semaphore permits) {}
