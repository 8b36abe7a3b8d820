package org.kmsconnector.testsupport;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.kmsconnector.config.ConfigLoader;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.devnet.AnvilNode;
import org.kmsconnector.devnet.DevDatabase;

/** A service's configuration for a test, built the way an operator's environment would give it. */
public final class ServiceEnv {
    private final ServiceKind kind;
    private final Map<String, String> env = new HashMap<>();

    private ServiceEnv(ServiceKind kind) {
        this.kind = kind;
    }

    /** The common required options, pointing at one database and one anvil for both chains. */
    public static ServiceEnv of(ServiceKind kind, DevDatabase db, AnvilNode chain, String decryptionAddress)
            throws Exception {
        ServiceEnv e = new ServiceEnv(kind);
        String placeholder = "0x00000000000000000000000000000000000000ee";
        e.set("database_url", db.url())
                .set("gateway_url", chain.url())
                .set("gateway_chain_id", Long.toString(chain.chainId()))
                .set("ethereum_url", chain.url())
                .set("ethereum_chain_id", Long.toString(chain.chainId()))
                .set("decryption_contract__address", decryptionAddress)
                .set("kms_generation_contract__address", placeholder)
                .set("protocol_config_contract__address", TestInfra.ethereum().protocolConfig())
                .set("monitoring_endpoint", "127.0.0.1:0");
        return e;
    }

    /** An option by its env name without the KMS_CONNECTOR_ prefix, any case. */
    public ServiceEnv set(String option, String value) {
        env.put("KMS_CONNECTOR_" + option.toUpperCase(), value);
        return this;
    }

    public Map<String, String> asMap() {
        return Map.copyOf(env);
    }

    public ConnectorConfig load() throws Exception {
        return ConfigLoader.load(kind, Optional.empty(), env);
    }
}
