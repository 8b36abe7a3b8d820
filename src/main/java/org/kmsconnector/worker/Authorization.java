package org.kmsconnector.worker;

import java.util.Optional;
import javax.sql.DataSource;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.worker.auth.ContextCheck;
import org.kmsconnector.worker.auth.UserDecryptionAuthorizer;
import org.web3j.protocol.Web3j;

/**
 * Where the kms-worker gets its authorisation checks, and the only place that knows which ones
 * they are. PLACEHOLDER: both factories return allow-all checks until the real ones of
 * worker/auth land (host-chain ACL via the request calldata for legacy and delegated requests;
 * validity window, EIP-712 / ERC-1271 signature and invalidation for unified ones; the KMS
 * context and epoch of extraData). The integration replaces this file's bodies; nothing else
 * relies on the checks allowing everything.
 */
final class Authorization {
    private Authorization() {}

    /**
     * @param hostChains the host chains' RPC clients and ACL addresses
     * @param gateway the Gateway RPC client (legacy requests are authorised from their transaction)
     */
    static UserDecryptionAuthorizer userDecryption(ConnectorConfig config, HostChains hostChains, Web3j gateway) {
        return job -> Optional.empty();
    }

    /**
     * @param dataSource the kms_context / kms_epoch cache
     * @param ethereum the Ethereum RPC client (ProtocolConfig, for contexts not cached yet)
     */
    static ContextCheck context(ConnectorConfig config, DataSource dataSource, Web3j ethereum) {
        return extraData -> Optional.empty();
    }
}
