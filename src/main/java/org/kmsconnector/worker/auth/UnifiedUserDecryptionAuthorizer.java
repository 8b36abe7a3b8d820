package org.kmsconnector.worker.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.worker.job.UserDecryptionJob.Unified;
import org.kmsconnector.worker.job.UserDecryptionJob;

/**
 * A unified (RFC016) user decryption, authorised by the connector alone since the Gateway
 * forwards it unchecked (contracts.md §8.1): one host chain, the validity window, the user not
 * posing as an allowed contract, then concurrently the signature, its invalidation, each
 * handle's ownership or delegation, and the allowed contracts.
 */
final class UnifiedUserDecryptionAuthorizer implements UserDecryptionAuthorizer {
    private final HostAcls acls;
    private final UserSignature signature;
    private final Clock clock;
    private final Executor executor;

    UnifiedUserDecryptionAuthorizer(HostAcls acls, UserSignature signature, Clock clock, Executor executor) {
        this.acls = acls;
        this.signature = signature;
        this.clock = clock;
        this.executor = executor;
    }

    @Override
    public Optional<Refusal> check(UserDecryptionJob job) {
        Unified u = job.unified().orElseThrow(() -> new IllegalArgumentException("not a unified request"));
        List<Handle> handles = job.handles();
        if (handles.isEmpty()) {
            return refuse("acl", "the request has no ciphertext handle");
        }
        if (u.ownerAddresses().size() != handles.size() || u.contractAddresses().size() != handles.size()) {
            return refuse("acl", "the request has " + handles.size() + " handles but " + u.ownerAddresses().size()
                    + " owners and " + u.contractAddresses().size() + " contracts");
        }
        List<Long> chains = handles.stream().map(Handle::hostChainId).distinct().collect(Collectors.toList());
        if (chains.size() > 1) {
            return refuse("acl", "the handles span host chains " + chains + "; a unified request stays on one");
        }
        BigInteger start = unsigned(u.startTimestamp());
        BigInteger end = start.add(unsigned(u.durationSeconds()));
        BigInteger now = BigInteger.valueOf(clock.instant().getEpochSecond());
        if (now.compareTo(start) < 0) {
            return Optional.of(Refusal.recoverable("signature", "the request is valid from " + start + ", now is " + now));
        }
        if (now.compareTo(end) > 0) {
            return refuse("signature", "the request expired at " + end + ", now is " + now);
        }
        String user = Hex.prefixed(job.userAddress());
        if (u.allowedContracts().stream().anyMatch(c -> Arrays.equals(c, job.userAddress()))) {
            return refuse("acl", "the user " + user + " is listed among the allowed contracts");
        }
        Optional<AclCalls> acl = acls.forChain(chains.get(0));
        if (acl.isEmpty()) {
            return Optional.of(HostAcls.unknownChain(handles.get(0)));
        }
        List<String> allowed = u.allowedContracts().stream().map(Hex::prefixed).collect(Collectors.toList());
        byte[] digest = signature.digest(chains.get(0), user, job.publicKey(), allowed, start,
                unsigned(u.durationSeconds()), job.extraData());
        List<Supplier<Optional<Refusal>>> checks = List.of(
                () -> signature.check(acl.get().chain(), user, digest, u.signature()),
                () -> invalidation(acl.get(), user, start),
                () -> ownership(acl.get(), job, u, user),
                () -> allowedContracts(acl.get(), handles, allowed));
        return FirstRefusal.among(executor, checks);
    }

    /** Signatures the user revoked (ACL.decryptionSignatureInvalidatedBefore) never come back. */
    private static Optional<Refusal> invalidation(AclCalls acl, String user, BigInteger start) {
        return guarded(() -> {
            BigInteger before = acl.decryptionSignatureInvalidatedBefore(user);
            if (start.compareTo(before) < 0) {
                return refuse("signature", "the user " + user + " invalidated the signatures made before " + before
                        + "; this request starts at " + start);
            }
            return Optional.empty();
        });
    }

    /** The user owns each handle, or its owner delegated it to the user for that contract. */
    private static Optional<Refusal> ownership(AclCalls acl, UserDecryptionJob job, Unified u, String user) {
        return guarded(() -> {
            for (int i = 0; i < job.handles().size(); i++) {
                Handle handle = job.handles().get(i);
                String owner = Hex.prefixed(u.ownerAddresses().get(i));
                String contract = Hex.prefixed(u.contractAddresses().get(i));
                if (Arrays.equals(u.ownerAddresses().get(i), job.userAddress())) {
                    if (!acl.isAllowed(handle, user)) {
                        return deny("user " + user + " is not allowed on handle " + handle);
                    }
                } else if (!acl.isHandleDelegatedForUserDecryption(owner, user, contract, handle)) {
                    return deny(user + " is not a delegate of " + owner + " for contract " + contract + " on handle "
                            + handle);
                }
            }
            return Optional.empty();
        });
    }

    /** With a non-empty list, some allowed contract must be allowed on each handle (first true wins). */
    private static Optional<Refusal> allowedContracts(AclCalls acl, List<Handle> handles, List<String> allowed) {
        if (allowed.isEmpty()) {
            return Optional.empty(); // permissive mode
        }
        for (Handle handle : handles) {
            IOException lastError = null;
            boolean ok = false;
            for (String contract : allowed) {
                try {
                    if (acl.isAllowed(handle, contract)) {
                        ok = true;
                        break;
                    }
                } catch (IOException e) {
                    lastError = e;
                } catch (InterruptedException e) {
                    return Optional.of(HostAcls.interrupted());
                }
            }
            if (!ok) {
                return lastError != null ? Optional.of(HostAcls.callFailed(lastError))
                        : deny("none of the allowed contracts " + allowed + " is allowed on handle " + handle);
            }
        }
        return Optional.empty();
    }

    private interface AclCheck {
        Optional<Refusal> run() throws IOException, InterruptedException;
    }

    private static Optional<Refusal> guarded(AclCheck check) {
        try {
            return check.run();
        } catch (IOException e) {
            return Optional.of(HostAcls.callFailed(e));
        } catch (InterruptedException e) {
            return Optional.of(HostAcls.interrupted());
        }
    }

    /** The DB keeps these u64 values in signed bigint columns. */
    private static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }

    private static Optional<Refusal> refuse(String checkType, String reason) {
        return Optional.of(Refusal.irrecoverable(checkType, reason));
    }

    private static Optional<Refusal> deny(String reason) {
        return Optional.of(Refusal.recoverable("acl", reason));
    }
}
