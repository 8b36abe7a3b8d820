package org.kmsconnector.sender;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.AwsKmsSigner;
import org.kmsconnector.chain.PrivateKeySigner;
import org.kmsconnector.chain.TxSigner;
import org.kmsconnector.config.ConfigException;
import org.kmsconnector.config.ConfigLoader;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.devnet.AwsKmsDouble;
import org.kmsconnector.devnet.DevAccounts;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void withoutAPrivateKeyTheWalletIsTheAwsKmsKeyOfTheConfig() throws Exception {
        ECKeyPair key = Keys.createEcKeyPair();
        try (AwsKmsDouble kms = AwsKmsDouble.start(Map.of("alias/tx-sender", key))) {
            withAwsCredentials(() -> {
                TxSigner signer = TxSenderModule.signer(config(Map.of("KMS_CONNECTOR_AWS_KMS_CONFIG__KEY_ID",
                        "alias/tx-sender", "KMS_CONNECTOR_AWS_KMS_CONFIG__REGION", kms.region(),
                        "KMS_CONNECTOR_AWS_KMS_CONFIG__ENDPOINT", kms.endpoint())));
                assertTrue(signer instanceof AwsKmsSigner);
                assertEquals("0x" + Keys.getAddress(key), signer.address());
                assertFalse(signer.toString().contains(SECRET));
                ((AwsKmsSigner) signer).close();
            });
        }
    }

    @Test
    void anAwsKmsKeyThatCannotBeReadStopsTheStartWithOneClearLine() throws Exception {
        try (AwsKmsDouble kms = AwsKmsDouble.start(Map.of("alias/other", Keys.createEcKeyPair()))) {
            withAwsCredentials(() -> {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> TxSenderModule.signer(
                        config(Map.of("KMS_CONNECTOR_AWS_KMS_CONFIG__KEY_ID", "alias/tx-sender",
                                "KMS_CONNECTOR_AWS_KMS_CONFIG__REGION", kms.region(),
                                "KMS_CONNECTOR_AWS_KMS_CONFIG__ENDPOINT", kms.endpoint()))));
                assertTrue(e.getMessage().startsWith("AWS KMS GetPublicKey of key alias/tx-sender failed"),
                        e.getMessage());
                assertFalse(e.getMessage().contains(SECRET));
            });
        }
    }

    private static final String SECRET = "module-test-secret";

    /** The default credentials chain reads these system properties (as it reads AWS_* env vars). */
    private interface Body {
        void run() throws Exception;
    }

    private static void withAwsCredentials(Body body) throws Exception {
        System.setProperty("aws.accessKeyId", "AKIDMODULETEST");
        System.setProperty("aws.secretAccessKey", SECRET);
        try {
            body.run();
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
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
