package org.kmsconnector.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.main.Main;
import org.kmsconnector.chain.HostChainClient;
import org.kmsconnector.chain.HostChains;
import org.kmsconnector.chain.KmsContextHistory;
import org.kmsconnector.chain.KmsGenerationViews;
import org.kmsconnector.chain.ProtocolConfigViews;
import org.kmsconnector.chain.Web3jClients;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.ContractConfig;
import org.kmsconnector.config.HostChainConfig;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.db.KmsContextCache;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.db.OperationSql;
import org.kmsconnector.db.RequestWrites;
import org.kmsconnector.monitoring.Metrics;
import org.kmsconnector.monitoring.Probes;
import org.kmsconnector.runtime.OperationRoutes;
import org.kmsconnector.runtime.ServiceModule;
import org.kmsconnector.worker.auth.ContextCheck;
import org.kmsconnector.worker.auth.PublicDecryptionAcl;
import org.kmsconnector.worker.auth.UserDecryptionAuthorizer;
import org.kmsconnector.worker.auth.WorkerChecks;
import org.kmsconnector.worker.ciphertext.CiphertextResolver;
import org.kmsconnector.worker.ciphertext.CoprocessorRegistry;
import org.kmsconnector.worker.kms.DecryptionRequests;
import org.kmsconnector.worker.kms.KmsCoreClient;
import org.web3j.protocol.Web3j;

/** The kms-worker's beans; its routes are in routes/kms-worker/. */
public final class KmsWorkerModule implements ServiceModule {
    /** Longer than the KMS Core's own windows (60 s result long-poll), so a slow answer is not cut. */
    private static final Duration GRPC_SEND_DEADLINE = Duration.ofMinutes(5);
    private static final Duration GRPC_POLL_DEADLINE = Duration.ofSeconds(90);
    /** Key-management results answer at once when not ready (preprocessing may be held: cut it short). */
    private static final Duration GRPC_KEY_MANAGEMENT_POLL_DEADLINE = Duration.ofSeconds(10);

    private HostChains hostChains;
    private Web3j gateway;
    private Web3j ethereum;
    private KmsCoreClient kmsCore;

    @Override
    public ServiceKind kind() {
        return ServiceKind.KMS_WORKER;
    }

    @Override
    public void bind(Main main, Context ctx) throws Exception {
        ConnectorConfig cfg = ctx.config();
        hostChains = new HostChains();
        for (HostChainConfig chain : cfg.hostChains()) {
            hostChains.add(chain.chainId(), Web3jClients.create(chain.url(), cfg.duration("host_rpc_call_timeout")),
                    chain.aclAddress(), cfg.integer("host_rpc_max_concurrent_calls"));
        }
        gateway = Web3jClients.create(cfg.string("gateway_url"), cfg.duration("host_rpc_call_timeout"));
        ethereum = Web3jClients.create(cfg.string("ethereum_url"), cfg.duration("host_rpc_call_timeout"));
        CoprocessorRegistry registry = new CoprocessorRegistry(gateway, cfg.string("gateway_config_contract.address"),
                s3Fallback(cfg));
        registry.load(); // a worker that cannot read the registry at start could fetch nothing
        CiphertextResolver ciphertexts = new CiphertextResolver(registry::snapshot, s3Settings(cfg),
                ok -> ctx.metrics().increment(ok ? Metrics.WORKER_S3_OK : Metrics.WORKER_S3_ERRORS));

        kmsCore = new KmsCoreClient(cfg.list("kms_core_endpoints"), cfg.integer("grpc_request_retries"),
                cfg.duration("grpc_poll_interval"), GRPC_SEND_DEADLINE, GRPC_POLL_DEADLINE,
                GRPC_KEY_MANAGEMENT_POLL_DEADLINE);
        kmsCore.observeCalls((rpc, code, duration) -> ctx.metrics().recordSeconds(Metrics.WORKER_GRPC_CALL, duration,
                "rpc", rpc, "code", code));
        DecryptionRequests.Domain domain = domain(cfg.contract("decryption_contract"), cfg.number("gateway_chain_id"));
        DecryptionRequests.Domain kmsGeneration = domain(cfg.contract("kms_generation_contract"),
                cfg.number("ethereum_chain_id"));

        registerHealthChecks(ctx, registry);
        ContextCheck contextCheck = WorkerChecks.context(cfg, ctx.dataSource(), ethereum);
        UserDecryptionAuthorizer userAuthorizer = WorkerChecks.userDecryption(cfg, hostChains, gateway,
                Clock.systemUTC());
        main.bind("registryRefresh", new RegistryRefresh(registry, ctx.exit()));

        OperationRoutes routes = new OperationRoutes(ServiceKind.KMS_WORKER.id());
        List<OperationFlow<?, ?>> flows = new ArrayList<>(List.of(
                new PublicDecryptionFlow(new PublicDecryptionAcl(hostChains), contextCheck, ciphertexts, kmsCore,
                        domain),
                new UserDecryptionFlow(userAuthorizer, contextCheck, ciphertexts, kmsCore, domain)));
        flows.addAll(KeyManagementFlows.all(contextCheck, kmsCore, kmsGeneration));
        ProtocolConfigViews protocolConfig = new ProtocolConfigViews(ethereum,
                cfg.string("protocol_config_contract.address"));
        flows.addAll(ProtocolConfigFlows.all(kmsCore, new KmsContextHistory(ethereum, protocolConfig),
                new KmsGenerationViews(ethereum, cfg.string("kms_generation_contract.address")),
                domain(cfg.contract("protocol_config_contract"), cfg.number("ethereum_chain_id")),
                new KmsContextCache(ctx.dataSource())));
        for (OperationFlow<?, ?> flow : flows) {
            bindFlow(main, ctx, routes, flow);
        }
        main.bind("kmsWorkerOperationRoutes", routes);
    }

    /** The kind's claim and process routes, and the beans their steps name. */
    private static void bindFlow(Main main, Context ctx, OperationRoutes routes, OperationFlow<?, ?> flow) {
        ConnectorConfig cfg = ctx.config();
        OperationKind kind = flow.kind();
        int batch = kind.claimBatchOption() == null ? 1 : cfg.integer(kind.claimBatchOption());
        // a request back with an error (not ready yet, refused for now) waits one fallback poll
        Duration fallback = cfg.duration(kind.fallbackPollOption());
        String claim = OperationSql.claim(kind.requests(), OperationSql.requestColumns(kind), batch, fallback);
        String work = routes.claim(main::bind, kind, kind.requests(), claim, cfg.database(), fallback);
        String processor = routes.beanName(kind, "Processor");
        String outcomes = routes.beanName(kind, "Outcomes");
        RequestWrites writes = new RequestWrites(ctx.dataSource(), kind);
        main.bind(processor, new OperationProcessor<>(flow, writes, ctx.metrics()));
        main.bind(outcomes, new OperationOutcomes(writes, cfg.integer("max_decryption_attempts"), ctx.metrics()));
        routes.add("kms-worker-operation", kind, "process",
                Map.of("work", work, "processor", processor, "outcomes", outcomes));
    }

    private static DecryptionRequests.Domain domain(ContractConfig contract, long chainId) {
        return new DecryptionRequests.Domain(contract.domainName(), contract.domainVersion(), chainId,
                contract.address());
    }

    private void registerHealthChecks(Context ctx, CoprocessorRegistry registry) {
        Duration timeout = ctx.config().duration("healthcheck_timeout");
        ctx.health().register("gateway_connected", Probes.rpc(gateway));
        ctx.health().register("ethereum_connected", Probes.rpc(ethereum));
        ctx.health().register("kms_core_connected", () -> {
            if (!kmsCore.healthy(timeout)) {
                throw new IllegalStateException("a KMS Core shard does not answer the gRPC health check");
            }
        });
        for (HostChainClient chain : hostChains.all()) {
            ctx.health().register("host_chain_" + chain.chainId() + "_connected", Probes.rpc(chain.web3j()));
        }
        ctx.health().register("s3_connected", () -> Probes.reachable(registry.snapshot().bucketUrls(), timeout)
                .check());
    }

    private static Optional<CoprocessorRegistry.S3Fallback> s3Fallback(ConnectorConfig cfg) {
        if (!cfg.has("s3_config.bucket")) {
            return Optional.empty();
        }
        return Optional.of(new CoprocessorRegistry.S3Fallback(cfg.optionalString("s3_config.region").orElse(null),
                cfg.string("s3_config.bucket"), cfg.optionalString("s3_config.endpoint").orElse(null)));
    }

    private static org.kmsconnector.worker.ciphertext.S3Settings s3Settings(ConnectorConfig cfg) {
        return new org.kmsconnector.worker.ciphertext.S3Settings(cfg.integer("s3_ciphertext_retrieval_attempts"),
                cfg.duration("s3_connect_timeout"), cfg.duration("s3_head_timeout"), cfg.duration("s3_get_timeout"),
                cfg.integer("s3_max_concurrent_heads_per_bucket"), cfg.integer("s3_max_concurrent_gets"),
                cfg.number("s3_max_ciphertext_size"));
    }

    @Override
    public void close() {
        if (kmsCore != null) {
            kmsCore.close();
        }
        if (gateway != null) {
            gateway.shutdown();
        }
        if (ethereum != null) {
            ethereum.shutdown();
        }
        if (hostChains != null) {
            hostChains.close();
        }
    }
}
