package org.kmsconnector.listener;

import org.apache.camel.main.Main;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.monitoring.Probes;
import org.kmsconnector.runtime.ServiceModule;
import org.web3j.protocol.Web3j;

/** The gw-listener's beans: the Gateway poll loop's cursor, fetcher, decoder, store and error budget. */
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
        GatewayLogFetcher fetcher = new GatewayLogFetcher(gateway, cfg.contract("decryption_contract").address());
        GatewayEventStore store = new GatewayEventStore(ctx.dataSource(), "gateway");
        main.bind("gatewayLogFetcher", fetcher);
        main.bind("gatewayEventStore", store);
        main.bind("gatewayCursor", new GatewayCursor(cfg.number("get_logs_batch_size"),
                cfg.number("gateway_confirmation_depth"), cfg.optionalNumber("decryption_from_block_number"),
                fetcher::head, store::lastPolled));
        main.bind("gatewayLogDecoder", new GatewayLogDecoder(ctx.metrics()));
        ctx.health().register("gateway_connected", Probes.rpc(gateway));
        ctx.health().register("ethereum_connected", Probes.rpc(ethereum));
        main.bind("gatewayPollingErrors", new PollingErrors("decryption",
                cfg.integer("max_consecutive_polling_errors"), ctx.metrics(), ctx.exit(),
                cfg.duration("decryption_polling"), cfg.duration("polling_backoff_max")));
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
