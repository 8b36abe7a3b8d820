package org.kmsconnector.listener;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.apache.camel.main.Main;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.monitoring.Probes;
import org.kmsconnector.runtime.ServiceModule;
import org.web3j.protocol.Web3j;

/**
 * The gw-listener's beans for its two poll loops (routes/gw-listener/poll.camel.yaml), each with
 * its cursor, log fetcher, decoder, event store and error budget: the Gateway (Decryption, up to
 * latest − gateway_confirmation_depth) and Ethereum (KMSGeneration and ProtocolConfig, up to the
 * finalized block).
 */
public final class GwListenerModule implements ServiceModule {
    private Web3j gateway;
    private Web3j ethereum;

    @Override
    public ServiceKind kind() {
        return ServiceKind.GW_LISTENER;
    }

    @Override
    public void bind(Main main, Context ctx) {
        ConnectorConfig cfg = ctx.config();
        gateway = Web3jClients.create(cfg.string("gateway_url"), cfg.duration("rpc_call_timeout"));
        ethereum = Web3jClients.create(cfg.string("ethereum_url"), cfg.duration("rpc_call_timeout"));
        // the active KMS context and epoch are cached before any event is stored (start fails otherwise)
        ContextCacheSeeder.create(cfg, ctx.dataSource(), ethereum).run();
        ctx.health().register("gateway_connected", Probes.rpc(gateway));
        ctx.health().register("ethereum_connected", Probes.rpc(ethereum));

        bindLoop(main, ctx, "gateway", "Gateway", "decryption",
                new LogFetcher(gateway, List.of(cfg.contract("decryption_contract").address()),
                        GatewayEventTopics.SUBSCRIBED, LogFetcher.Head.LATEST),
                new GatewayLogDecoder(ctx.metrics()), cfg.number("gateway_confirmation_depth"),
                cfg.optionalNumber("decryption_from_block_number"), cfg.duration("decryption_polling"));
        String kmsGeneration = cfg.contract("kms_generation_contract").address();
        String protocolConfig = cfg.contract("protocol_config_contract").address();
        bindLoop(main, ctx, "ethereum", "Ethereum", "ethereum",
                new LogFetcher(ethereum, List.of(kmsGeneration, protocolConfig), EthereumEventTopics.SUBSCRIBED,
                        LogFetcher.Head.FINALIZED),
                new EthereumLogDecoder(kmsGeneration, protocolConfig, ctx.metrics()), 0,
                cfg.optionalNumber("kms_operation_from_block_number"), cfg.duration("key_management_polling"));
    }

    /**
     * The beans one instance of the poll route names ({@code <chain>Cursor}, …).
     *
     * @param contract the {@code contract} label of its error counter
     */
    private static void bindLoop(Main main, Context ctx, String chain, String chainLabel, String contract,
            LogFetcher fetcher, LogDecoder decoder, long confirmationDepth, OptionalLong fromBlock,
            Duration pollInterval) {
        ConnectorConfig cfg = ctx.config();
        EventStore store = new EventStore(ctx.dataSource(), chain);
        main.bind(chain + "LogFetcher", fetcher);
        main.bind(chain + "LogDecoder", decoder);
        main.bind(chain + "EventStore", store);
        main.bind(chain + "Cursor", new ChainCursor(chainLabel, cfg.number("get_logs_batch_size"), confirmationDepth,
                fromBlock, fetcher::head, store::lastPolled));
        main.bind(chain + "PollingErrors", new PollingErrors(contract, cfg.integer("max_consecutive_polling_errors"),
                ctx.metrics(), ctx.exit(), pollInterval, cfg.duration("polling_backoff_max")));
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.shutdown();
        }
        if (ethereum != null) {
            ethereum.shutdown();
        }
    }
}
