package org.kmsconnector.devnet;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kmsconnector.kms.v1.CoreServiceEndpointGrpc;
import org.kmsconnector.kms.v1.MpcContext;
import org.kmsconnector.kms.v1.NewMpcEpochRequest;
import org.web3j.crypto.ECKeyPair;

/**
 * A stand-in KMS Core for tests and the demo: a real grpc-java server on a loopback port serving
 * {@code kms_service.v1.CoreServiceEndpoint} and the standard health service. It validates
 * requests like the core, keeps per-id state with the core's status codes, "decrypts"
 * deterministically ({@link #expectedPlaintext}) and signs results with EIP-712 under the
 * request's domain, like the core does, using the given key. Run one per shard or per party.
 */
public final class KmsCoreDouble implements AutoCloseable {
    /** As the upstream test configuration's grpc_max_message_size. */
    static final int MAX_INBOUND_BYTES = 100 * 1024 * 1024;

    private final Server server;
    private final HealthStatusManager health;
    private final CoreDoubleCalls calls;
    private final CoreDoubleService service;
    private final AtomicBoolean closed = new AtomicBoolean();

    private KmsCoreDouble(Server server, HealthStatusManager health, CoreDoubleCalls calls, CoreDoubleService service) {
        this.server = server;
        this.health = health;
        this.calls = calls;
        this.service = service;
    }

    /** Starts on 127.0.0.1:{@code port}; port 0 picks a free one. */
    public static KmsCoreDouble start(int port, ECKeyPair signer) {
        CoreDoubleCalls calls = new CoreDoubleCalls();
        CoreDoubleService service = new CoreDoubleService(new CoreDoubleResults(signer));
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus(CoreServiceEndpointGrpc.SERVICE_NAME, ServingStatus.SERVING);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .maxInboundMessageSize(MAX_INBOUND_BYTES)
                .addService(ServerInterceptors.intercept(service, calls))
                .addService(health.getHealthService())
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("KMS Core double cannot listen on port " + port, e);
        }
        return new KmsCoreDouble(server, health, calls, service);
    }

    public int port() {
        return server.getPort();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    /** Calls received under "<Rpc>:<request id as sent>", e.g. "PublicDecrypt:0100…01"; failed ones too. */
    public long callCount(String key) {
        return calls.count(key);
    }

    /** All calls of one RPC, whatever their id. */
    public long totalCalls(String rpc) {
        return calls.total(rpc);
    }

    /** The context a NewMpcContext defined (id in request-id form), as the double received it. */
    public Optional<MpcContext> context(String contextId) {
        return service.context(contextId);
    }

    /** The NewMpcEpoch request that started an epoch (id in request-id form). */
    public Optional<NewMpcEpochRequest> epochRequest(String epochId) {
        return service.epochRequest(epochId);
    }

    /** The next {@code times} calls of {@code rpc} (e.g. "GetPublicDecryptionResult") fail with {@code code}. */
    public void failNext(String rpc, Status.Code code, int times) {
        calls.failNext(rpc, code, times);
    }

    /** Results of operations started from now on become visible this long after the start call. */
    public void setResultDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0");
        }
        service.setResultDelay(delay);
    }

    /**
     * How long a decryption poll for a result that is not ready yet waits before answering
     * UNAVAILABLE (the real core waits up to 60 s). Default zero: answer at once.
     */
    public void setPollHold(Duration hold) {
        if (hold == null || hold.isNegative()) {
            throw new IllegalArgumentException("hold must be >= 0");
        }
        service.setPollHold(hold);
    }

    /**
     * The plaintext the double returns for a ciphertext: keccak256(ciphertext) reduced to the bit
     * width of the FHE type (Bool 1, Uint8 8 … Uint160 160, Uint256 256). Other types cannot be
     * decrypted publicly (IllegalArgumentException); their public decryption fails with INTERNAL.
     */
    public static BigInteger expectedPlaintext(byte[] ciphertext, int fheType) {
        return CoreDoubleResults.expectedPlaintext(ciphertext, fheType);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        service.shutdown();
        health.enterTerminalState();
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
