package org.kmsconnector.listener;

import java.io.IOException;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.kmsconnector.chain.ProtocolConfigViews;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.db.KmsContextCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;

/**
 * The gw-listener's start-up pass over the KMS context cache (behavior.md §B.2 steps 4-5): store
 * the active pair of ProtocolConfig as valid, then re-ask the chain about every row still
 * marked valid, since destructions may have happened while no listener was running. Any RPC or
 * DB failure stops the start: a worker must not trust a cache nobody could check.
 */
public final class ContextCacheSeeder {
    private static final Logger LOG = LoggerFactory.getLogger(ContextCacheSeeder.class);

    private final KmsContextCache cache;
    private final ProtocolConfigViews protocolConfig;

    public ContextCacheSeeder(KmsContextCache cache, ProtocolConfigViews protocolConfig) {
        this.cache = cache;
        this.protocolConfig = protocolConfig;
    }

    /** @param ethereum a client of ethereum_url; ProtocolConfig is protocol_config_contract.address */
    public static ContextCacheSeeder create(ConnectorConfig cfg, DataSource db, Web3j ethereum) {
        return new ContextCacheSeeder(new KmsContextCache(db),
                new ProtocolConfigViews(ethereum, cfg.string("protocol_config_contract.address")));
    }

    /** @throws IllegalStateException when ProtocolConfig or the database cannot be read or written */
    public void run() {
        try {
            seedCurrent();
            revalidate();
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot prepare the KMS context cache: " + e.getMessage(), e);
        }
    }

    void seedCurrent() throws IOException, SQLException {
        ProtocolConfigViews.ContextAndEpoch current = protocolConfig.currentKmsContextAndEpoch();
        cache.seedCurrent(current.contextId(), current.epochId());
        LOG.info("Active KMS context {} and epoch {} stored as valid", current.contextId(), current.epochId());
    }

    void revalidate() throws IOException, SQLException {
        Set<BigInteger> destroyed = new HashSet<>();
        for (BigInteger context : cache.validContexts()) {
            if (!protocolConfig.isValidKmsContext(context)) {
                cache.invalidateContext(context);
                destroyed.add(context);
                LOG.info("Cached KMS context {} is no longer valid on chain: invalidated", context);
            }
        }
        for (KmsContextCache.CachedEpoch epoch : cache.validEpochs()) {
            if (epoch.contextId().isEmpty()) {
                cache.deleteOrphanEpoch(epoch.id());
                LOG.info("Valid KMS epoch {} without a context cannot be revalidated: deleted", epoch.id());
            } else if (destroyed.contains(epoch.contextId().get())) {
                cache.invalidateEpoch(epoch.id());
                LOG.info("KMS epoch {} of destroyed context {}: invalidated", epoch.id(), epoch.contextId().get());
            } else if (!protocolConfig.isValidEpochForContext(epoch.contextId().get(), epoch.id())) {
                cache.invalidateEpoch(epoch.id());
                LOG.info("Cached KMS epoch {} is no longer valid on chain: invalidated", epoch.id());
            }
        }
    }
}
