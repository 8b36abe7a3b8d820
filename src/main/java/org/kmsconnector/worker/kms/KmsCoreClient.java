package org.kmsconnector.worker.kms;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.kms.v1.CoreServiceEndpointGrpc;
import org.kmsconnector.kms.v1.CrsGenRequest;
import org.kmsconnector.kms.v1.CrsGenResult;
import org.kmsconnector.kms.v1.DestroyMpcContextRequest;
import org.kmsconnector.kms.v1.DestroyMpcContextResponse;
import org.kmsconnector.kms.v1.DestroyMpcEpochRequest;
import org.kmsconnector.kms.v1.EpochResultResponse;
import org.kmsconnector.kms.v1.KeyGenPreprocRequest;
import org.kmsconnector.kms.v1.KeyGenPreprocResult;
import org.kmsconnector.kms.v1.KeyGenRequest;
import org.kmsconnector.kms.v1.KeyGenResult;
import org.kmsconnector.kms.v1.NewMpcContextRequest;
import org.kmsconnector.kms.v1.NewMpcEpochRequest;
import org.kmsconnector.kms.v1.PublicDecryptionRequest;
import org.kmsconnector.kms.v1.PublicDecryptionResponse;
import org.kmsconnector.kms.v1.RequestId;
import org.kmsconnector.kms.v1.UserDecryptionRequest;
import org.kmsconnector.kms.v1.UserDecryptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kms-worker's gRPC client of the KMS Core (kms-grpc.md §3). One channel per configured
 * endpoint ("shard"); each call goes to exactly one shard, {@code routingId mod N} over the full
 * unsigned 256-bit id. Retry and status classification live in {@link #send} and {@link #poll}
 * only; every RPC is a one-line wrapper around them. {@code requestRetries} is the total number
 * of attempts; DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE and UNKNOWN are retried, any
 * other code ends the call; ALREADY_EXISTS on a start RPC counts as success; ABORTED on a poll
 * means the operation was aborted. Polls pause {@code pollInterval} and every call has a deadline
 * (docs/differences.md says why).
 */
public final class KmsCoreClient implements AutoCloseable {
    public static final String SERVICE_NAME = CoreServiceEndpointGrpc.SERVICE_NAME;

    private static final Logger LOG = LoggerFactory.getLogger(KmsCoreClient.class);
    private static final Set<Status.Code> RETRYABLE = EnumSet.of(
            Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNAVAILABLE, Status.Code.UNKNOWN);
    private static final int MAX_DESCRIPTION = 160;

    private final List<KmsEndpoint> endpoints;
    private final List<ManagedChannel> channels;
    private final int requestRetries;
    private final Duration pollInterval;
    private final Duration sendDeadline;
    private final Duration pollDeadline;
    private final Duration keyManagementPollDeadline;
    private volatile CallObserver observer = CallObserver.NONE;

    /** Told of every gRPC call: which RPC, how it ended (the status code), how long it took. */
    @FunctionalInterface
    public interface CallObserver {
        CallObserver NONE = (rpc, code, duration) -> { };

        void onCall(String rpc, String code, Duration duration);
    }

    /**
     * @param pollDeadline of a decryption result poll, which the core holds up to 60 s
     * @param keyManagementPollDeadline of a key-management result poll: key generation takes
     *     minutes, so a poll that finds nothing yet must end soon and leave the request pending,
     *     instead of holding a thread (the threshold core holds a preprocessing poll up to 300 s)
     */
    public KmsCoreClient(List<String> endpoints, int requestRetries, Duration pollInterval,
                         Duration sendDeadline, Duration pollDeadline, Duration keyManagementPollDeadline) {
        if (endpoints == null || endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one KMS Core endpoint is required");
        }
        if (requestRetries < 0) {
            throw new IllegalArgumentException("requestRetries must be >= 0");
        }
        requirePositive(sendDeadline, "sendDeadline");
        requirePositive(pollDeadline, "pollDeadline");
        requirePositive(keyManagementPollDeadline, "keyManagementPollDeadline");
        if (pollInterval == null || pollInterval.isNegative()) {
            throw new IllegalArgumentException("pollInterval must be >= 0");
        }
        this.endpoints = endpoints.stream().map(KmsEndpoint::parse).toList();
        this.requestRetries = requestRetries;
        this.pollInterval = pollInterval;
        this.sendDeadline = sendDeadline;
        this.pollDeadline = pollDeadline;
        this.keyManagementPollDeadline = keyManagementPollDeadline;
        List<ManagedChannel> opened = new ArrayList<>();
        for (KmsEndpoint e : this.endpoints) {
            opened.add(e.open()); // lazy: connects on the first call
        }
        this.channels = List.copyOf(opened);
    }

    public void observeCalls(CallObserver callObserver) {
        this.observer = callObserver;
    }

    // ---- decryptions (routing id = decryption id) -------------------------------------------

    public SendOutcome publicDecrypt(BigInteger decryptionId, PublicDecryptionRequest request) {
        return send(decryptionId, CoreServiceEndpointGrpc.getPublicDecryptMethod(), request);
    }

    public SendOutcome userDecrypt(BigInteger decryptionId, UserDecryptionRequest request) {
        return send(decryptionId, CoreServiceEndpointGrpc.getUserDecryptMethod(), request);
    }

    public PollOutcome<PublicDecryptionResponse> getPublicDecryptionResult(BigInteger decryptionId) {
        return poll(decryptionId, CoreServiceEndpointGrpc.getGetPublicDecryptionResultMethod(), decryptionId);
    }

    public PollOutcome<UserDecryptionResponse> getUserDecryptionResult(BigInteger decryptionId) {
        return poll(decryptionId, CoreServiceEndpointGrpc.getGetUserDecryptionResultMethod(), decryptionId);
    }

    // ---- key management (routing id: prep-keygen id for a key, crs id for a CRS) ----------------

    public SendOutcome keyGenPreproc(BigInteger prepKeygenId, KeyGenPreprocRequest request) {
        return send(prepKeygenId, CoreServiceEndpointGrpc.getKeyGenPreprocMethod(), request);
    }

    public PollOutcome<KeyGenPreprocResult> getKeyGenPreprocResult(BigInteger prepKeygenId) {
        return poll(prepKeygenId, CoreServiceEndpointGrpc.getGetKeyGenPreprocResultMethod(), prepKeygenId,
                keyManagementPollDeadline);
    }

    /** Routed by the preprocessing's id: the shard that holds the preprocessing generates the key. */
    public SendOutcome keyGen(BigInteger prepKeygenId, KeyGenRequest request) {
        return send(prepKeygenId, CoreServiceEndpointGrpc.getKeyGenMethod(), request);
    }

    public PollOutcome<KeyGenResult> getKeyGenResult(BigInteger prepKeygenId, BigInteger keyId) {
        return poll(prepKeygenId, CoreServiceEndpointGrpc.getGetKeyGenResultMethod(), keyId,
                keyManagementPollDeadline);
    }

    public SendOutcome abortKeyGen(BigInteger prepKeygenId) {
        return send(prepKeygenId, CoreServiceEndpointGrpc.getAbortKeyGenMethod(),
                DecryptionRequests.requestId(prepKeygenId));
    }

    public SendOutcome crsGen(BigInteger crsId, CrsGenRequest request) {
        return send(crsId, CoreServiceEndpointGrpc.getCrsGenMethod(), request);
    }

    public PollOutcome<CrsGenResult> getCrsGenResult(BigInteger crsId) {
        return poll(crsId, CoreServiceEndpointGrpc.getGetCrsGenResultMethod(), crsId, keyManagementPollDeadline);
    }

    public SendOutcome abortCrsGen(BigInteger crsId) {
        return send(crsId, CoreServiceEndpointGrpc.getAbortCrsGenMethod(), DecryptionRequests.requestId(crsId));
    }

    // ---- contexts and epochs (routing id: the context's id, the epoch's id) -----------------------

    /** Routed by the context the request defines: the "previous" and the "new" call may go to different shards. */
    public SendOutcome newMpcContext(NewMpcContextRequest request) {
        BigInteger contextId = Uint256.fromRequestId(request.getNewContext().getContextId().getRequestId());
        return send(contextId, CoreServiceEndpointGrpc.getNewMpcContextMethod(), request);
    }

    /** The reply lists the context's epochs the KMS Core destroyed with it; none when the context was unknown. */
    public Replied<DestroyMpcContextResponse> destroyMpcContext(BigInteger contextId) {
        return sendForReply(contextId, CoreServiceEndpointGrpc.getDestroyMpcContextMethod(),
                DestroyMpcContextRequest.newBuilder().setContextId(DecryptionRequests.requestId(contextId)).build());
    }

    public SendOutcome newMpcEpoch(BigInteger epochId, NewMpcEpochRequest request) {
        return send(epochId, CoreServiceEndpointGrpc.getNewMpcEpochMethod(), request);
    }

    public PollOutcome<EpochResultResponse> getEpochResult(BigInteger epochId) {
        return poll(epochId, CoreServiceEndpointGrpc.getGetEpochResultMethod(), epochId, keyManagementPollDeadline);
    }

    public SendOutcome destroyMpcEpoch(BigInteger epochId) {
        return send(epochId, CoreServiceEndpointGrpc.getDestroyMpcEpochMethod(),
                DestroyMpcEpochRequest.newBuilder().setEpochId(DecryptionRequests.requestId(epochId)).build());
    }

    // ---- health ------------------------------------------------------------------------------

    /**
     * Standard gRPC health check for the KMS service on every shard, in parallel. Any reply counts
     * as up, whatever serving status it carries (as upstream); an error or timeout counts as down.
     */
    public boolean healthy(Duration timeout) {
        requirePositive(timeout, "timeout");
        HealthCheckRequest request = HealthCheckRequest.newBuilder().setService(SERVICE_NAME).build();
        List<ListenableFuture<HealthCheckResponse>> replies = new ArrayList<>();
        for (ManagedChannel channel : channels) {
            replies.add(HealthGrpc.newFutureStub(channel)
                    .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .check(request));
        }
        boolean allUp = true;
        for (int i = 0; i < replies.size(); i++) {
            try {
                replies.get(i).get();
            } catch (ExecutionException e) {
                LOG.debug("KMS Core {} health check failed: {}", endpoints.get(i), describe(Status.fromThrowable(e.getCause())));
                allUp = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                replies.forEach(f -> f.cancel(true));
                return false;
            }
        }
        return allUp;
    }

    public int shardCount() {
        return channels.size();
    }

    /** The shard index of a routing id: its full unsigned 256-bit value modulo the shard count. */
    public int shardOf(BigInteger routingId) {
        if (routingId.signum() < 0) {
            throw new IllegalArgumentException("routing ids are unsigned");
        }
        return routingId.mod(BigInteger.valueOf(channels.size())).intValue();
    }

    // ---- the two call shapes -----------------------------------------------------------------

    /** A start or fire-and-ack RPC whose reply carries nothing the connector needs. */
    <Q, R> SendOutcome send(BigInteger routingId, MethodDescriptor<Q, R> method, Q request) {
        return sendForReply(routingId, method, request).outcome();
    }

    /** How a fire-and-ack RPC ended, and its reply when it was answered (null for ALREADY_EXISTS or an error). */
    public record Replied<R>(SendOutcome outcome, R reply) {}

    private <Q, R> Replied<R> sendForReply(BigInteger routingId, MethodDescriptor<Q, R> method, Q request) {
        Tries<R> t = attempt(routingId, method, request, sendDeadline, Duration.ZERO);
        String rpc = method.getBareMethodName();
        SendOutcome outcome = switch (t.end()) {
            case SUCCESS -> new SendOutcome(SendOutcome.Kind.OK, t.failed(), null);
            case STOPPED -> t.status().getCode() == Status.Code.ALREADY_EXISTS
                    ? new SendOutcome(SendOutcome.Kind.OK, t.failed(), rpc + ": already known to the KMS Core")
                    : new SendOutcome(SendOutcome.Kind.IRRECOVERABLE, t.failed() + 1, rpc + " " + describe(t.status()));
            case EXHAUSTED -> new SendOutcome(SendOutcome.Kind.RECOVERABLE, t.failed(), exhausted(rpc, t));
            case INTERRUPTED -> new SendOutcome(SendOutcome.Kind.RECOVERABLE, t.failed(), rpc + ": interrupted");
        };
        return new Replied<>(outcome, t.value());
    }

    /** A result poll for the operation started under {@code pollId}. */
    <R> PollOutcome<R> poll(BigInteger routingId, MethodDescriptor<RequestId, R> method, BigInteger pollId) {
        return poll(routingId, method, pollId, pollDeadline);
    }

    private <R> PollOutcome<R> poll(BigInteger routingId, MethodDescriptor<RequestId, R> method, BigInteger pollId,
            Duration deadline) {
        Tries<R> t = attempt(routingId, method, DecryptionRequests.requestId(pollId), deadline, pollInterval);
        String rpc = method.getBareMethodName();
        return switch (t.end()) {
            case SUCCESS -> new PollOutcome<>(PollOutcome.Kind.OK, t.value(), t.failed(), null);
            case STOPPED -> t.status().getCode() == Status.Code.ABORTED
                    ? new PollOutcome<>(PollOutcome.Kind.ABORTED, null, t.failed() + 1, rpc + " " + describe(t.status()))
                    : new PollOutcome<>(PollOutcome.Kind.IRRECOVERABLE, null, t.failed() + 1, rpc + " " + describe(t.status()));
            case EXHAUSTED -> new PollOutcome<>(PollOutcome.Kind.RECOVERABLE, null, t.failed(), exhausted(rpc, t));
            case INTERRUPTED -> new PollOutcome<>(PollOutcome.Kind.RECOVERABLE, null, t.failed(), rpc + ": interrupted");
        };
    }

    private enum End { SUCCESS, STOPPED, EXHAUSTED, INTERRUPTED }

    /** What the attempt loop saw: the reply, or the last status and how many tries failed. */
    private record Tries<R>(End end, R value, Status status, int failed) {}

    private <Q, R> Tries<R> attempt(BigInteger routingId, MethodDescriptor<Q, R> method, Q request,
                                    Duration deadline, Duration pause) {
        int shard = shardOf(routingId);
        ManagedChannel channel = channels.get(shard);
        int failed = 0;
        Status last = null;
        for (int attempt = 1; attempt <= requestRetries; attempt++) {
            if (attempt > 1 && !pause.isZero()) {
                try {
                    Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Tries<>(End.INTERRUPTED, null, last, failed);
                }
            }
            long started = System.nanoTime();
            try {
                R reply = ClientCalls.blockingUnaryCall(channel, method,
                        CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS), request);
                observer.onCall(method.getBareMethodName(), "OK", Duration.ofNanos(System.nanoTime() - started));
                return new Tries<>(End.SUCCESS, reply, null, failed);
            } catch (StatusRuntimeException e) {
                observer.onCall(method.getBareMethodName(), e.getStatus().getCode().name(),
                        Duration.ofNanos(System.nanoTime() - started));
                // grpc turns an interrupt into CANCELLED; that is our shutdown, not the core's verdict
                if (Thread.currentThread().isInterrupted()) {
                    return new Tries<>(End.INTERRUPTED, null, e.getStatus(), failed);
                }
                Status status = e.getStatus();
                if (!RETRYABLE.contains(status.getCode())) {
                    return new Tries<>(End.STOPPED, null, status, failed);
                }
                failed++;
                last = status;
                LOG.debug("{} on shard {} attempt {}/{}: {}", method.getBareMethodName(), shard, attempt,
                        requestRetries, describe(status));
            }
        }
        return new Tries<>(End.EXHAUSTED, null, last, failed);
    }

    private String exhausted(String rpc, Tries<?> t) {
        if (t.failed() == 0) {
            return rpc + ": not attempted (grpc_request_retries = 0)";
        }
        return rpc + ": all " + t.failed() + " attempts failed, last " + describe(t.status());
    }

    /** Code plus a bounded description: server texts can be long and must not flood logs or rows. */
    static String describe(Status status) {
        String d = status.getDescription();
        if (d == null || d.isEmpty()) {
            return status.getCode().name();
        }
        if (d.length() > MAX_DESCRIPTION) {
            d = d.substring(0, MAX_DESCRIPTION) + "…";
        }
        return status.getCode().name() + ": " + d;
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be > 0");
        }
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdown);
        for (ManagedChannel c : channels) {
            try {
                if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
                    c.shutdownNow();
                }
            } catch (InterruptedException e) {
                c.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
