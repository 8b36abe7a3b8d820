package org.kmsconnector.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.PrivateKeySigner;
import org.kmsconnector.chain.TxSigner;
import org.kmsconnector.config.ConfigException;
import org.kmsconnector.config.ConfigLoader;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.devnet.DevAccounts;
import org.web3j.utils.Numeric;

class TxSenderModuleTest {
    private static final String KEY =
            Numeric.toHexStringNoPrefixZeroPadded(DevAccounts.TX_SENDER.getEcKeyPair().getPrivateKey(), 64);

    @Test
    void thePrivateKeyWinsAndNeverShows() throws Exception {
        TxSigner signer = TxSenderModule.signer(config(Map.of("KMS_CONNECTOR_PRIVATE_KEY", KEY,
                "KMS_CONNECTOR_AWS_KMS_CONFIG__KEY_ID", "alias/tx-sender")));
        assertEquals(DevAccounts.TX_SENDER.getAddress(), signer.address());
        assertFalse(signer.toString().toLowerCase().contains(KEY));
    }

    @Test
    void anAwsKmsWalletIsNotBuiltYet() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TxSenderModule.signer(
                config(Map.of("KMS_CONNECTOR_AWS_KMS_CONFIG__KEY_ID", "alias/tx-sender"))));
        assertTrue(e.getMessage().contains("AWS KMS wallet is not built yet"), e.getMessage());
    }

    @Test
    void aWalletIsRequiredAlreadyByTheConfig() {
        ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of()));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("private_key")), e.problems().toString());
    }

    @Test
    void badKeysAreRejectedWithoutBeingQuoted() {
        String bad = "zz" + KEY.substring(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrivateKeySigner.fromHex(bad));
        assertFalse(e.getMessage().contains(bad.substring(2)));
        assertThrows(IllegalArgumentException.class, () -> PrivateKeySigner.fromHex("0x" + "0".repeat(64)));
    }

    private static ConnectorConfig config(Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "KMS_CONNECTOR_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/unused",
                "KMS_CONNECTOR_GATEWAY_URL", "http://127.0.0.1:8545",
                "KMS_CONNECTOR_GATEWAY_CHAIN_ID", "31337",
                "KMS_CONNECTOR_ETHEREUM_URL", "http://127.0.0.1:8545",
                "KMS_CONNECTOR_ETHEREUM_CHAIN_ID", "31337",
                "KMS_CONNECTOR_DECRYPTION_CONTRACT__ADDRESS", "0x5fbdb2315678afecb367f032d93f642f64180aa3",
                "KMS_CONNECTOR_KMS_GENERATION_CONTRACT__ADDRESS", "0x5fbdb2315678afecb367f032d93f642f64180aa3",
                "KMS_CONNECTOR_PROTOCOL_CONFIG_CONTRACT__ADDRESS", "0x5fbdb2315678afecb367f032d93f642f64180aa3"));
        env.putAll(extra);
        return ConfigLoader.load(ServiceKind.TX_SENDER, Optional.empty(), env);
    }
}
