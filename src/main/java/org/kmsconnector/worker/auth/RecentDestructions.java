package org.kmsconnector.worker.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.kmsconnector.chain.Hex;
import org.kmsconnector.chain.ProtocolConfigTopics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Context and epoch destructions already final on Ethereum that the gw-listener has not stored
 * yet: between its Ethereum checkpoint and the finalized block (up to key_management_polling of
 * blocks). The cache alone would let requests pinned to them through until the listener's next
 * poll; one scan of that gap, shared by all requests and at most every {@code maxAge}, closes it.
 * When the scan fails the last answer stands and the cache decides, as without this.
 */
public final class RecentDestructions {
    private static final Logger LOG = LoggerFactory.getLogger(RecentDestructions.class);
    /** The widest gap scanned: a listener further behind is catching up and will store the rest. */
    static final long MAX_BLOCKS = 10_000;
    private static final String CHECKPOINT =
            "SELECT block_number FROM last_block_polled_by_chain WHERE chain_name = 'ethereum'";

    private record Seen(Set<BigInteger> contexts, Set<BigInteger> epochs) {}

    private final Web3j ethereum;
    private final String protocolConfig;
    private final DataSource db;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private Seen seen = new Seen(Set.of(), Set.of());
    private long scannedAt;
    private boolean scanned;

    public RecentDestructions(Web3j ethereum, String protocolConfig, DataSource db, Duration maxAge,
            LongSupplier nanoTime) {
        this.ethereum = ethereum;
        this.protocolConfig = protocolConfig;
        this.db = db;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    public boolean contextDestroyed(BigInteger contextId) {
        return current().contexts().contains(contextId);
    }

    public boolean epochDestroyed(BigInteger epochId) {
        return current().epochs().contains(epochId);
    }

    private synchronized Seen current() {
        long now = nanoTime.getAsLong();
        if (!scanned || now - scannedAt >= maxAgeNanos) {
            scanned = true;
            scannedAt = now;
            try {
                seen = scan();
            } catch (IOException | SQLException | RuntimeException e) {
                LOG.warn("Cannot look for KMS context destructions not stored yet (the cache alone decides): {}",
                        e.getMessage());
            }
        }
        return seen;
    }

    private Seen scan() throws IOException, SQLException {
        EthBlock finalized = ethereum.ethGetBlockByNumber(DefaultBlockParameterName.FINALIZED, false).send();
        if (finalized.hasError() || finalized.getBlock() == null) {
            throw new IOException("no finalized block on Ethereum");
        }
        long to = finalized.getBlock().getNumber().longValueExact();
        long from;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(CHECKPOINT);
                ResultSet rs = ps.executeQuery()) {
            long checkpoint = rs.next() ? rs.getLong(1) : 0;
            from = rs.wasNull() ? to : checkpoint + 1; // no checkpoint: the listener starts at finalized
        }
        if (from > to) {
            return new Seen(Set.of(), Set.of());
        }
        from = Math.max(from, to - MAX_BLOCKS + 1);
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), protocolConfig);
        filter.addOptionalTopics(ProtocolConfigTopics.KMS_CONTEXT_DESTROYED, ProtocolConfigTopics.KMS_EPOCH_DESTROYED);
        EthLog reply = ethereum.ethGetLogs(filter).send();
        if (reply.hasError()) {
            throw new IOException("eth_getLogs failed: " + reply.getError().getMessage());
        }
        Set<BigInteger> contexts = new HashSet<>();
        Set<BigInteger> epochs = new HashSet<>();
        for (EthLog.LogResult<?> r : reply.getLogs()) {
            Log log = (Log) r.get();
            List<String> topics = log.getTopics();
            if (topics.size() < 2) {
                continue;
            }
            BigInteger id = new BigInteger(1, Hex.decode(topics.get(1)));
            (ProtocolConfigTopics.KMS_CONTEXT_DESTROYED.equalsIgnoreCase(topics.get(0)) ? contexts : epochs).add(id);
        }
        return new Seen(Set.copyOf(contexts), Set.copyOf(epochs));
    }
}
