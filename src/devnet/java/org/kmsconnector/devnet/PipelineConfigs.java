package org.kmsconnector.devnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the three services' TOML files for a local pipeline, in the same format an operator
 * uses (config/*.toml): the services read them exactly as they would in production.
 */
final class PipelineConfigs {
    private PipelineConfigs() {}

    /** @param monitoringPorts the monitoring port of each service, free when the pipeline started */
    record Endpoints(String databaseUrl, String chainUrl, long chainId, GatewayDeployment gateway,
            EthereumDeployment ethereum, DevHostChain host, String kmsCoreEndpoint, String txSenderKey,
            Map<String, Integer> monitoringPorts) {}

    static void write(Path dir, Endpoints e) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("gw-listener.toml"), topLevel(e, "gw-listener") + """
                decryption_polling = "200ms"
                key_management_polling = "500ms"
                """ + contractTables(e));
        Files.writeString(dir.resolve("kms-worker.toml"), topLevel(e, "kms-worker") + """
                db_fast_event_polling = "1s"
                db_long_event_polling = "1s"
                kms_core_endpoints = ["%s"]
                grpc_poll_interval = "100ms"
                """.formatted(e.kmsCoreEndpoint()) + contractTables(e) + """
                [gateway_config_contract]
                address = "%s"

                [[host_chains]]
                url = "%s"
                chain_id = %d
                acl_address = "%s"
                """.formatted(e.gateway().gatewayConfig(), e.host().url(), e.host().chainId(), e.host().acl()));
        Files.writeString(dir.resolve("tx-sender.toml"), topLevel(e, "tx-sender") + """
                database_polling_timeout = "1s"
                # the Ethereum chain mines a block a second: two confirmations take two seconds
                ethereum_tx_required_confirmations = 2
                ethereum_tx_get_receipt_timeout = "60s"
                # development key of an anvil account: never use a key in a file in production
                private_key = "%s"
                """.formatted(e.txSenderKey()) + contractTables(e));
    }

    /** Top-level keys come first: TOML puts every key after a [table] header inside that table. */
    private static String topLevel(Endpoints e, String service) {
        return """
                # %s of a local dev pipeline (written by the demo / tests)
                database_url = "%s"
                gateway_url = "%s"
                gateway_chain_id = %d
                ethereum_url = "%s"
                ethereum_chain_id = %d
                monitoring_endpoint = "127.0.0.1:%d"
                """.formatted(service, e.databaseUrl(), e.chainUrl(), e.chainId(), e.host().url(), e.host().chainId(),
                e.monitoringPorts().get(service));
    }

    private static String contractTables(Endpoints e) {
        return CONTRACT_TABLES.formatted(e.gateway().decryption(), e.ethereum().kmsGeneration(),
                e.ethereum().protocolConfig());
    }

    // KMSGeneration and ProtocolConfig are the mocks on the Ethereum chain (the host chain's anvil).
    private static final String CONTRACT_TABLES = """

            [decryption_contract]
            address = "%s"

            [kms_generation_contract]
            address = "%s"

            [protocol_config_contract]
            address = "%s"

            """;
}
