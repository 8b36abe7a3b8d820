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
 * The tx-sender's beans for the routes in routes/tx-sender/: per response kind the claim SQL, the
 * NOTIFY wake-up of the claim and the sender bean, all sending through one Gateway ChainSender and
 * its wallet; the recovery job and the backlog gauges. (The task pool comes from the runtime.)
 */
public final class TxSenderModule implements ServiceModule {
    private static final Logger LOG = LoggerFactory.getLogger(TxSenderModule.class);

    private Web3j gateway;
    private TxSigner signer;

    @Override
    public ServiceKind kind() {
        return ServiceKind.TX_SENDER;
    }

    @Override
    public void bind(Main main, Context ctx) {
        ConnectorConfig cfg = ctx.config();
        signer = signer(cfg);
        // every Gateway JSON-RPC call is bounded; receipts are awaited by polling, each poll bounded too
        gateway = Web3jClients.create(cfg.string("gateway_url"), cfg.duration("rpc_call_timeout"));
        // one chain sender (one nonce sequence) for every response kind sent to the Gateway
        ChainSender gatewaySender = new ChainSender(gateway, signer, cfg.number("gateway_chain_id"),
                new NonceManager(gateway, signer.address()), cfg.integer("gas_multiplier_percent"),
                cfg.integer("tx_retries"), cfg.duration("tx_retry_interval"),
                cfg.duration("gateway_tx_get_receipt_timeout"), 0, cfg.bool("trace_reverted_tx"));
        main.bind("gatewayChainSender", gatewaySender);
        ctx.health().register("gateway_connected", Probes.rpc(gateway));

        String decryption = cfg.contract("decryption_contract").address();
        OperationRoutes routes = new OperationRoutes(ServiceKind.TX_SENDER.id());
        for (ResponseCall call : List.of(DecryptionResponseCalls.publicDecryption(gatewaySender, decryption),
                DecryptionResponseCalls.userDecryption(gatewaySender, decryption))) {
            bindResponses(main, ctx, routes, call, "gatewayChainSender");
        }
        main.bind("txSenderOperationRoutes", routes);
        main.bind("operationRecovery", new OperationRecovery(ctx.dataSource(), cfg.duration("decryption_expiry"),
                cfg.duration("operation_under_process_timeout"), ctx.metrics()));
        main.bind("backlogGauges", new BacklogGauges(ctx.dataSource(), ctx.metrics()));
        LOG.info("tx-sender wallet {} on Gateway chain {}", signer.address(), cfg.number("gateway_chain_id"));
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
        if (signer instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("closing the wallet: {}", e.getMessage());
            }
        }
    }
}
