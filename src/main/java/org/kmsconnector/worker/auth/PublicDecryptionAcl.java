package org.kmsconnector.worker.auth;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.chain.HostChains;

/**
 * Public decryption is allowed only for handles their host chain's ACL marks with
 * isAllowedForDecryption. Every refusal is recoverable: the permission may still land.
 */
public final class PublicDecryptionAcl {
    private final HostAcls acls;

    public PublicDecryptionAcl(HostChains hostChains) {
        this.acls = new HostAcls(hostChains);
    }

    /** @return empty when every handle is allowed */
    public Optional<Refusal> check(List<Handle> handles) {
        for (Handle handle : handles) {
            Optional<AclCalls> acl = acls.forChain(handle.hostChainId());
            if (acl.isEmpty()) {
                return Optional.of(HostAcls.unknownChain(handle));
            }
            try {
                if (!acl.get().isAllowedForDecryption(handle)) {
                    return Optional.of(Refusal.recoverable("acl", "the ACL " + acl.get().chain().aclAddress()
                            + " of host chain " + handle.hostChainId() + " does not allow the public decryption of "
                            + handle));
                }
            } catch (IOException e) {
                return Optional.of(HostAcls.callFailed(e));
            } catch (InterruptedException e) {
                return Optional.of(HostAcls.interrupted());
            }
        }
        return Optional.empty();
    }
}
