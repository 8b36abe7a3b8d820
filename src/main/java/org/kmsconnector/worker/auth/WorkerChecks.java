package org.kmsconnector.worker.auth;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.kmsconnector.chain.HostChains;
import org.kmsconnector.chain.ProtocolConfigViews;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.db.KmsContextCache;
import org.web3j.protocol.Web3j;

/** Builds the kms-worker's request checks from the configuration and the clients the module already holds. */
public final class WorkerChecks {
    /** How old the scan for destructions not stored yet may be: one RPC pair a second at most, whatever the load. */
    private static final java.time.Duration DESTRUCTION_SCAN_INTERVAL = java.time.Duration.ofSeconds(1);

    private WorkerChecks() {}

    /**
     * The user decryption authorisation, legacy and unified.
     *
     * @param hostChains the host chains of host_chains (bounded clients and permits)
     * @param gateway a client of gateway_url, for the legacy requests' transactions
     * @param clock the clock of the unified requests' validity windows
     */
    public static UserDecryptionAuthorizer userDecryption(ConnectorConfig cfg, HostChains hostChains, Web3j gateway,
            Clock clock) {
        HostAcls acls = new HostAcls(hostChains);
        String decryption = cfg.contract("decryption_contract").address();
        UserSignature signature = new UserSignature(cfg.contract("decryption_contract"),
                cfg.number("erc1271_gas_limit"));
        return new VariantAuthorizer(
                new LegacyUserDecryptionAuthorizer(gateway, decryption, acls),
                new UnifiedUserDecryptionAuthorizer(acls, signature, clock, checkThreads()));
    }

    /**
     * The KMS context check of every decryption.
     *
     * @param db the service's pool (tables kms_context, kms_epoch)
     * @param ethereum a client of ethereum_url, for ProtocolConfig (protocol_config_contract.address)
     */
    public static ContextCheck context(ConnectorConfig cfg, DataSource db, Web3j ethereum) {
        String protocolConfig = cfg.string("protocol_config_contract.address");
        return new KmsContextCheck(new KmsContextCache(db), new ProtocolConfigViews(ethereum, protocolConfig),
                new RecentDestructions(ethereum, protocolConfig, db, DESTRUCTION_SCAN_INTERVAL, System::nanoTime));
    }

    /**
     * Threads for the concurrent host calls of unified requests. They only wait on the network;
     * the host chains' permits bound the calls, and idle threads go away after a minute.
     */
    private static ExecutorService checkThreads() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "user-decryption-check-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return Executors.newCachedThreadPool(daemons);
    }
}
