package org.kmsconnector.worker.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.Optional;
import org.kmsconnector.chain.ExtraData;
import org.kmsconnector.chain.ProtocolConfigViews;
import org.kmsconnector.db.KmsContextCache;

/**
 * The KMS context and epoch a request's extraData pins (behavior.md §C.5): answered from the
 * local cache when it knows, from ProtocolConfig at the finalized block when it does not. A
 * destroyed context or epoch fails the request, also one destroyed in a final block the
 * gw-listener has not polled yet ({@link RecentDestructions}); one the chain does not (yet) know
 * is retried.
 * Only pairs the chain confirmed are cached, never a lone context.
 */
public final class KmsContextCheck implements ContextCheck {
    private final KmsContextCache cache;
    private final ProtocolConfigViews protocolConfig;
    private final RecentDestructions recent;

    public KmsContextCheck(KmsContextCache cache, ProtocolConfigViews protocolConfig, RecentDestructions recent) {
        this.cache = cache;
        this.protocolConfig = protocolConfig;
        this.recent = recent;
    }

    @Override
    public Optional<Refusal> check(byte[] extraData) {
        ExtraData parsed;
        try {
            parsed = ExtraData.parse(extraData);
        } catch (IllegalArgumentException e) {
            return Optional.of(Refusal.irrecoverable("kms_context", "bad extra_data: " + e.getMessage()));
        }
        if (parsed.contextId().isEmpty()) {
            return Optional.empty(); // old relayer-sdk requests name no context
        }
        BigInteger context = parsed.contextId().get();
        Optional<BigInteger> epoch = parsed.epochId();
        if (recent.contextDestroyed(context)) {
            return Optional.of(Refusal.irrecoverable("kms_context", "KMS context " + context + " was destroyed"));
        }
        if (epoch.isPresent() && recent.epochDestroyed(epoch.get())) {
            return Optional.of(Refusal.irrecoverable("kms_context", "KMS epoch " + epoch.get() + " was destroyed"));
        }
        KmsContextCache.Lookup cached;
        try {
            cached = cache.lookup(context, epoch);
        } catch (SQLException e) {
            return Optional.of(Refusal.recoverable("network", "KMS context cache lookup failed: " + e.getMessage()));
        }
        if (cached.contextCached()) {
            if (!cached.contextValid()) {
                return Optional.of(Refusal.irrecoverable("kms_context", "KMS context " + context + " was destroyed"));
            }
            if (epoch.isEmpty()) {
                return Optional.empty();
            }
            if (cached.epochCached()) {
                if (!cached.epochValid()) {
                    return Optional.of(Refusal.irrecoverable("kms_context",
                            "KMS epoch " + epoch.get() + " was destroyed"));
                }
                if (cached.epochContextId().equals(Optional.of(context))) {
                    return Optional.empty();
                }
                // cached under another context: the chain decides, and the write below repairs the row
            }
        }
        return onChain(context, epoch);
    }

    private Optional<Refusal> onChain(BigInteger context, Optional<BigInteger> epoch) {
        try {
            if (!protocolConfig.isValidKmsContext(context)) {
                return Optional.of(Refusal.recoverable("kms_context", "KMS context " + context
                        + " is not valid on ProtocolConfig " + protocolConfig.address() + " (finalized block)"));
            }
            if (epoch.isEmpty()) {
                return Optional.empty();
            }
            if (!protocolConfig.isValidEpochForContext(context, epoch.get())) {
                return Optional.of(Refusal.recoverable("kms_context", "KMS epoch " + epoch.get()
                        + " is not valid for context " + context + " on ProtocolConfig " + protocolConfig.address()
                        + " (finalized block)"));
            }
        } catch (IOException e) {
            return Optional.of(Refusal.recoverable("network", e.getMessage()));
        }
        try {
            cache.cacheValidPair(context, epoch.get());
        } catch (SQLException e) {
            return Optional.of(Refusal.recoverable("network", "caching the valid KMS context " + context + " and epoch "
                    + epoch.get() + " failed: " + e.getMessage()));
        }
        return Optional.empty();
    }
}
