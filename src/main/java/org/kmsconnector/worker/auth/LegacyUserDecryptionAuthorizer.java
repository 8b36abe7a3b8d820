package org.kmsconnector.worker.auth;

import java.io.IOException;
import java.util.Optional;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.worker.job.UserDecryptionJob;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthTransaction;
import org.web3j.protocol.core.methods.response.Transaction;

/**
 * A legacy (direct or delegated) user decryption: the event carries no handle → contract pairs,
 * so they are read from the calldata of the Gateway transaction that asked for it, which must
 * have been sent straight to Decryption. Then each handle is checked on its host chain's ACL.
 * A request that can never be checked fails; ACL denials and RPC errors are retried.
 */
final class LegacyUserDecryptionAuthorizer implements UserDecryptionAuthorizer {
    private final Web3j gateway;
    private final String decryptionAddress;
    private final HostAcls acls;

    LegacyUserDecryptionAuthorizer(Web3j gateway, String decryptionAddress, HostAcls acls) {
        this.gateway = gateway;
        this.decryptionAddress = decryptionAddress;
        this.acls = acls;
    }

    @Override
    public Optional<Refusal> check(UserDecryptionJob job) {
        if (job.txHash() == null || job.txHash().length == 0) {
            return refuse("the legacy user decryption has no tx_hash, so its handle/contract pairs cannot be read");
        }
        String txHash = Hex.prefixed(job.txHash());
        EthTransaction reply;
        try {
            reply = gateway.ethGetTransactionByHash(txHash).send();
        } catch (IOException e) {
            return Optional.of(Refusal.recoverable("network",
                    "eth_getTransactionByHash(" + txHash + ") on the Gateway failed: " + e.getMessage()));
        }
        if (reply.hasError()) {
            return Optional.of(Refusal.recoverable("network",
                    "eth_getTransactionByHash(" + txHash + ") on the Gateway failed: " + reply.getError().getMessage()));
        }
        Optional<Transaction> tx = reply.getTransaction();
        if (tx.isEmpty()) {
            return refuse("the request transaction " + txHash + " is not on the Gateway");
        }
        String to = tx.get().getTo();
        if (to == null || !to.equalsIgnoreCase(decryptionAddress)) {
            return refuse("the request transaction " + txHash + " was sent to " + (to == null ? "no contract" : to)
                    + ", not to Decryption " + decryptionAddress + " (relayed requests cannot be checked)");
        }
        Optional<LegacyRequestCalldata> calldata = LegacyRequestCalldata.decode(Hex.decode(tx.get().getInput()));
        if (calldata.isEmpty()) {
            return refuse("the calldata of " + txHash
                    + " is neither delegatedUserDecryptionRequest nor userDecryptionRequest");
        }
        // a handle the calldata does not pair can never pass: say so before any retried denial
        for (Handle handle : job.handles()) {
            if (calldata.get().contractOf(handle.bytes()).isEmpty()) {
                return refuse("handle " + handle + " is not among the handle/contract pairs of " + txHash);
            }
        }
        String user = Hex.prefixed(job.userAddress());
        for (Handle handle : job.handles()) {
            Optional<Refusal> refusal = checkHandle(handle, user, calldata.get());
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return Optional.empty();
    }

    private Optional<Refusal> checkHandle(Handle handle, String user, LegacyRequestCalldata calldata) {
        Optional<String> contract = calldata.contractOf(handle.bytes());
        Optional<AclCalls> acl = acls.forChain(handle.hostChainId());
        if (acl.isEmpty()) {
            return Optional.of(HostAcls.unknownChain(handle));
        }
        try {
            if (calldata.delegated()) {
                String delegator = calldata.delegator().orElseThrow();
                if (!acl.get().isHandleDelegatedForUserDecryption(delegator, user, contract.get(), handle)) {
                    return deny(user + " is not a delegate of " + delegator + " for contract " + contract.get()
                            + " on handle " + handle);
                }
                return Optional.empty();
            }
            if (!acl.get().isAllowed(handle, user)) {
                return deny("user " + user + " is not allowed on handle " + handle);
            }
            if (!acl.get().isAllowed(handle, contract.get())) {
                return deny("contract " + contract.get() + " is not allowed on handle " + handle);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(HostAcls.callFailed(e));
        } catch (InterruptedException e) {
            return Optional.of(HostAcls.interrupted());
        }
    }

    private static Optional<Refusal> refuse(String reason) {
        return Optional.of(Refusal.irrecoverable("acl", reason));
    }

    private static Optional<Refusal> deny(String reason) {
        return Optional.of(Refusal.recoverable("acl", reason));
    }
}
