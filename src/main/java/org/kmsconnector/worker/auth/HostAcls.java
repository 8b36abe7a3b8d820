package org.kmsconnector.worker.auth;

import java.io.IOException;
import java.util.Optional;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.chain.HostChains;

/** The ACL of the host chain a handle names (bytes 22..29), and the refusals shared by every ACL check. */
public final class HostAcls {
    private final HostChains chains;

    public HostAcls(HostChains chains) {
        this.chains = chains;
    }

    public Optional<AclCalls> forChain(long chainId) {
        return chains.get(chainId).map(AclCalls::new);
    }

    /** Recoverable: the operator may still add the chain to host_chains. */
    public static Refusal unknownChain(Handle handle) {
        return Refusal.recoverable("acl", "handle " + handle + " belongs to host chain " + handle.hostChainId()
                + ", which is not in host_chains");
    }

    /** A host RPC that failed: counted as network, retried. */
    public static Refusal callFailed(IOException e) {
        return Refusal.recoverable("network", e.getMessage());
    }

    /** The thread was asked to stop: keep the flag and let the row be retried. */
    public static Refusal interrupted() {
        Thread.currentThread().interrupt();
        return Refusal.recoverable("network", "interrupted while checking the host chain");
    }
}
