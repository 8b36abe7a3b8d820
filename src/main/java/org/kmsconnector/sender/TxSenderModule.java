package org.kmsconnector.sender;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.main.Main;
import org.kmsconnector.chain.AwsKmsClients;
import org.kmsconnector.chain.AwsKmsSigner;
import org.kmsconnector.chain.PrivateKeySigner;
import org.kmsconnector.chain.TxSigner;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.db.OperationSql;
import org.kmsconnector.db.OperationTable;
import org.kmsconnector.db.Operations;
import org.kmsconnector.db.ResponseWrites;
import org.kmsconnector.monitoring.Probes;
import org.kmsconnector.runtime.OperationRoutes;
import org.kmsconnector.runtime.ServiceModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The tx-sender's beans for the routes in routes/tx-sender/: per response kind its claim and send
 * routes, through the chain sender of the chain the kind's responses go to (decryptions to the
 * Gateway, key management to Ethereum after ethereum_tx_required_confirmations), one wallet for
 * both; the recovery job and the backlog gauges. (The task pool comes from the runtime.)
 */
public final class TxSenderModule implements ServiceModule {
    private static final Logger LOG = LoggerFactory.getLogger(TxSenderModule.class);

    private Web3j gateway;
    private Web3j ethereum;
    private TxSigner signer;

    @Override
    public ServiceKind kind() {
        return ServiceKind.TX_SENDER;
    }

    @Override
    public void bind(Main main, Context ctx) {
        ConnectorConfig cfg = ctx.config();
        signer = signer(cfg);
        // every JSON-RPC call is bounded; receipts are awaited by polling, each poll bounded too
        gateway = Web3jClients.create(cfg.string("gateway_url"), cfg.duration("rpc_call_timeout"));
        ethereum = Web3jClients.create(cfg.string("ethereum_url"), cfg.duration("rpc_call_timeout"));
        // one chain sender per chain (one nonce sequence per chain) for every response kind sent there
        ChainSender gatewaySender = new ChainSender(gateway, signer, cfg.number("gateway_chain_id"),
                new NonceManager(gateway, signer.address()), cfg.integer("gas_multiplier_percent"),
                cfg.integer("tx_retries"), cfg.duration("tx_retry_interval"),
                cfg.duration("gateway_tx_get_receipt_timeout"), 0, cfg.bool("trace_reverted_tx"));
        ChainSender ethereumSender = new ChainSender(ethereum, signer, cfg.number("ethereum_chain_id"),
                new NonceManager(ethereum, signer.address()), cfg.integer("gas_multiplier_percent"),
                cfg.integer("tx_retries"), cfg.duration("tx_retry_interval"),
                cfg.duration("ethereum_tx_get_receipt_timeout"), cfg.number("ethereum_tx_required_confirmations"),
                cfg.bool("trace_reverted_tx"));
        main.bind("gatewayChainSender", gatewaySender);
        main.bind("ethereumChainSender", ethereumSender);
        ctx.health().register("gateway_connected", Probes.rpc(gateway));
        ctx.health().register("ethereum_connected", Probes.rpc(ethereum));

        String decryption = cfg.contract("decryption_contract").address();
        String kmsGeneration = cfg.contract("kms_generation_contract").address();
        String protocolConfig = cfg.contract("protocol_config_contract").address();
        OperationRoutes routes = new OperationRoutes(ServiceKind.TX_SENDER.id());
        for (ResponseCall call : List.of(DecryptionResponseCalls.publicDecryption(gatewaySender, decryption),
                DecryptionResponseCalls.userDecryption(gatewaySender, decryption))) {
            bindResponses(main, ctx, routes, call, "gatewayChainSender");
        }
        for (ResponseCall call : List.of(KeyManagementResponseCalls.prepKeygen(ethereumSender, kmsGeneration),
                KeyManagementResponseCalls.keygen(ethereumSender, kmsGeneration),
                KeyManagementResponseCalls.crsgen(ethereumSender, kmsGeneration),
                ProtocolConfigResponseCalls.confirmContext(ethereumSender, protocolConfig),
                ProtocolConfigResponseCalls.confirmEpoch(ethereumSender, protocolConfig))) {
            bindResponses(main, ctx, routes, call, "ethereumChainSender");
        }
        main.bind("txSenderOperationRoutes", routes);
        main.bind("operationRecovery", new OperationRecovery(ctx.dataSource(), cfg.duration("decryption_expiry"),
                cfg.duration("operation_under_process_timeout"), ctx.metrics()));
        main.bind("backlogGauges", new BacklogGauges(ctx.dataSource(), ctx.metrics()));
        LOG.info("tx-sender wallet {} on Gateway chain {} and Ethereum chain {}", signer.address(),
                cfg.number("gateway_chain_id"), cfg.number("ethereum_chain_id"));
    }

    /** The kind's claim and send routes, and the beans their steps name. */
    private static void bindResponses(Main main, Context ctx, OperationRoutes routes, ResponseCall call,
            String chainBean) {
        ConnectorConfig cfg = ctx.config();
        OperationKind kind = call.kind();
        OperationTable table = kind.responseTable();
        // a row back with an error waits one fallback poll before it is claimed again
        Duration fallback = cfg.duration(Operations.RESPONSE_FALLBACK_POLL_OPTION);
        String claim = OperationSql.claim(table, OperationSql.responseColumns(table),
                cfg.integer(Operations.RESPONSE_BATCH_OPTION), fallback);
        String work = routes.claim(main::bind, kind, table, claim, cfg.database(), fallback);
        String response = routes.beanName(kind, "ResponseSender");
        main.bind(response, new ResponseSender(call, new ResponseWrites(ctx.dataSource(), table), ctx.metrics()));
        routes.add("tx-sender-response", kind, "send", Map.of("work", work, "response", response, "chain", chainBean));
    }

    /** private_key wins over AWS KMS, as in the original; the key itself is never logged. */
    static TxSigner signer(ConnectorConfig cfg) {
        if (cfg.optionalString("private_key").isPresent()) {
            LOG.warn("The wallet is a private key from the configuration: for development and tests only;"
                    + " use aws_kms_config in production");
            return PrivateKeySigner.fromHex(cfg.optionalString("private_key").get());
        }
        Optional<String> keyId = cfg.optionalString("aws_kms_config.key_id");
        if (keyId.isPresent()) {
            KmsClient kms = AwsKmsClients.create(cfg.optionalString("aws_kms_config.region"),
                    cfg.optionalString("aws_kms_config.endpoint"), cfg.duration("rpc_call_timeout"));
            try {
                AwsKmsSigner aws = AwsKmsSigner.connect(kms, keyId.get());
                LOG.info("The wallet is AWS KMS key {} (address {})", keyId.get(), aws.address());
                return aws;
            } catch (RuntimeException e) {
                kms.close();
                throw e;
            }
        }
        throw new IllegalStateException("Either AWS KMS (aws_kms_config.key_id) or a private key (private_key)"
                + " must be configured");
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.shutdown();
        }
        if (ethereum != null) {
            ethereum.shutdown();
        }
        if (signer instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("closing the wallet: {}", e.getMessage());
            }
        }
    }
}
