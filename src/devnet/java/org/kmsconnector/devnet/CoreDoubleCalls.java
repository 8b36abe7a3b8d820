package org.kmsconnector.devnet;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.kmsconnector.kms.v1.CoreServiceEndpointGrpc;
import org.kmsconnector.kms.v1.CrsGenRequest;
import org.kmsconnector.kms.v1.DestroyMpcContextRequest;
import org.kmsconnector.kms.v1.DestroyMpcEpochRequest;
import org.kmsconnector.kms.v1.KeyGenPreprocRequest;
import org.kmsconnector.kms.v1.KeyGenRequest;
import org.kmsconnector.kms.v1.NewMpcContextRequest;
import org.kmsconnector.kms.v1.NewMpcEpochRequest;
import org.kmsconnector.kms.v1.PublicDecryptionRequest;
import org.kmsconnector.kms.v1.RequestId;
import org.kmsconnector.kms.v1.UserDecryptionRequest;

/**
 * Sits in front of every RPC of the double, implemented or not: logs each call under
 * "<Rpc>:<id as sent>" and answers with a scripted status instead of the service when a fault
 * is queued for that RPC.
 */
final class CoreDoubleCalls implements ServerInterceptor {
    static final Set<String> RPCS = CoreServiceEndpointGrpc.getServiceDescriptor().getMethods().stream()
            .map(m -> m.getBareMethodName()).collect(Collectors.toUnmodifiableSet());

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> perRpc = new ConcurrentHashMap<>();
    private final Map<String, Deque<Status.Code>> faults = new HashMap<>();

    long count(String key) {
        AtomicLong n = counts.get(key);
        return n == null ? 0 : n.get();
    }

    long total(String rpc) {
        AtomicLong n = perRpc.get(rpc);
        return n == null ? 0 : n.get();
    }

    void failNext(String rpc, Status.Code code, int times) {
        if (!RPCS.contains(rpc)) {
            throw new IllegalArgumentException("no such RPC: " + rpc);
        }
        if (code == Status.Code.OK || times < 0) {
            throw new IllegalArgumentException("a fault needs a non-OK code and times >= 0");
        }
        synchronized (faults) {
            Deque<Status.Code> queue = faults.computeIfAbsent(rpc, k -> new ArrayDeque<>());
            for (int i = 0; i < times; i++) {
                queue.addLast(code);
            }
        }
    }

    private Status.Code takeFault(String rpc) {
        synchronized (faults) {
            Deque<Status.Code> queue = faults.get(rpc);
            return queue == null ? null : queue.pollFirst();
        }
    }

    private void record(String rpc, Object request) {
        counts.computeIfAbsent(rpc + ":" + idOf(request), k -> new AtomicLong()).incrementAndGet();
        perRpc.computeIfAbsent(rpc, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String rpc = call.getMethodDescriptor().getBareMethodName();
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean answered;

            @Override
            public void onMessage(Q message) {
                record(rpc, message);
                Status.Code fault = takeFault(rpc);
                if (fault != null) {
                    answered = true;
                    call.close(Status.fromCode(fault).withDescription("injected by the KMS Core double"), new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!answered) { // the unary handler would otherwise answer a second time
                    super.onHalfClose();
                }
            }
        };
    }

    /** The id a call is about, exactly as the client sent it ("" when absent). */
    static String idOf(Object request) {
        if (request instanceof RequestId r) {
            return r.getRequestId();
        } else if (request instanceof PublicDecryptionRequest r) {
            return r.getRequestId().getRequestId();
        } else if (request instanceof UserDecryptionRequest r) {
            return r.getRequestId().getRequestId();
        } else if (request instanceof KeyGenPreprocRequest r) {
            return r.getRequestId().getRequestId();
        } else if (request instanceof KeyGenRequest r) {
            return r.getRequestId().getRequestId();
        } else if (request instanceof CrsGenRequest r) {
            return r.getRequestId().getRequestId();
        } else if (request instanceof NewMpcContextRequest r) {
            return r.getNewContext().getContextId().getRequestId();
        } else if (request instanceof DestroyMpcContextRequest r) {
            return r.getContextId().getRequestId();
        } else if (request instanceof NewMpcEpochRequest r) {
            return r.getEpochId().getRequestId();
        } else if (request instanceof DestroyMpcEpochRequest r) {
            return r.getEpochId().getRequestId();
        }
        return "";
    }
}
