package org.kmsconnector.devnet;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.kmsconnector.kms.v1.CoreServiceEndpointGrpc;
import org.kmsconnector.kms.v1.CrsGenRequest;
import org.kmsconnector.kms.v1.CrsGenResult;
import org.kmsconnector.kms.v1.DestroyMpcContextRequest;
import org.kmsconnector.kms.v1.DestroyMpcContextResponse;
import org.kmsconnector.kms.v1.DestroyMpcEpochRequest;
import org.kmsconnector.kms.v1.Empty;
import org.kmsconnector.kms.v1.EpochResultResponse;
import org.kmsconnector.kms.v1.KeyGenPreprocRequest;
import org.kmsconnector.kms.v1.KeyGenPreprocResult;
import org.kmsconnector.kms.v1.KeyGenRequest;
import org.kmsconnector.kms.v1.KeyGenResult;
import org.kmsconnector.kms.v1.KeySetConfig;
import org.kmsconnector.kms.v1.KeySetType;
import org.kmsconnector.kms.v1.MpcContext;
import org.kmsconnector.kms.v1.MpcNode;
import org.kmsconnector.kms.v1.NewMpcContextRequest;
import org.kmsconnector.kms.v1.NewMpcEpochRequest;
import org.kmsconnector.kms.v1.PublicDecryptionRequest;
import org.kmsconnector.kms.v1.PublicDecryptionResponse;
import org.kmsconnector.kms.v1.RequestId;
import org.kmsconnector.kms.v1.UserDecryptionRequest;
import org.kmsconnector.kms.v1.UserDecryptionResponse;

import static org.kmsconnector.devnet.CoreDoubleChecks.invalid;
import static org.kmsconnector.devnet.CoreDoubleChecks.optionalId;
import static org.kmsconnector.devnet.CoreDoubleChecks.requireChecksummed;
import static org.kmsconnector.devnet.CoreDoubleChecks.requireCiphertexts;
import static org.kmsconnector.devnet.CoreDoubleChecks.requireDomain;
import static org.kmsconnector.devnet.CoreDoubleChecks.requireId;

/**
 * The RPCs the double implements, with the core's start/poll semantics (kms-grpc.md §4): a start
 * stores the operation (ALREADY_EXISTS for a known id, except a failed decryption, which is
 * redone); a poll answers NOT_FOUND for an unknown id, UNAVAILABLE until the result delay has
 * passed (decryption polls first wait up to the hold window, as the core's 60 s), INTERNAL for a
 * failed operation, ABORTED for an aborted one, else the result.
 *
 * <p>Implemented: decryptions; key-generation preprocessing, key generation and CRS generation
 * (digests stand for material the double does not produce, signed as the core signs them) and
 * their aborts (an aborted preprocessing also aborts the key generation that uses it);
 * contexts (NewMpcContext checks the nodes' addresses and the threshold) and epochs (NewMpcEpoch
 * for a known context; its result reshares the previous epoch's keys and CRSs, signed anew);
 * DestroyMpcContext also destroys the context's epochs and names them, as the core does.
 */
final class CoreDoubleService extends CoreServiceEndpointGrpc.CoreServiceEndpointImplBase {
    /** One started operation: its result (or why it failed) becomes visible at readyAt. */
    private record Job<T>(long readyAtNanos, T result, String failure, boolean aborted) {
        Job<T> abort() {
            return new Job<>(readyAtNanos, result, failure, true);
        }
    }

    private final CoreDoubleResults results;
    private final Map<String, Job<PublicDecryptionResponse>> publicJobs = new ConcurrentHashMap<>();
    private final Map<String, Job<UserDecryptionResponse>> userJobs = new ConcurrentHashMap<>();
    private final Map<String, Job<KeyGenPreprocResult>> preprocJobs = new ConcurrentHashMap<>();
    private final Map<String, Job<KeyGenResult>> keyGenJobs = new ConcurrentHashMap<>();
    /** key id → the preprocessing it uses, so an abort of the preprocessing reaches the key. */
    private final Map<String, String> preprocOfKey = new ConcurrentHashMap<>();
    private final Map<String, Job<CrsGenResult>> crsJobs = new ConcurrentHashMap<>();
    private final Map<String, MpcContext> contexts = new ConcurrentHashMap<>();
    private final Map<String, Job<EpochResultResponse>> epochJobs = new ConcurrentHashMap<>();
    private final Map<String, NewMpcEpochRequest> epochRequests = new ConcurrentHashMap<>();
    private final Map<String, String> contextOfEpoch = new ConcurrentHashMap<>();
    private volatile Duration resultDelay = Duration.ZERO;
    private volatile Duration pollHold = Duration.ZERO;
    private final ScheduledExecutorService holds = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kms-core-double-holds");
        t.setDaemon(true);
        return t;
    });

    CoreDoubleService(CoreDoubleResults results) {
        this.results = results;
    }

    void setResultDelay(Duration delay) {
        this.resultDelay = delay;
    }

    void setPollHold(Duration hold) {
        this.pollHold = hold;
    }

    void shutdown() {
        holds.shutdownNow();
    }

    // ---- decryptions --------------------------------------------------------------------------

    @Override
    public void publicDecrypt(PublicDecryptionRequest req, StreamObserver<Empty> out) {
        answer(out, () -> {
            String id = requireId(req.hasRequestId(), req.getRequestId(), "request_id");
            requireId(req.hasKeyId(), req.getKeyId(), "key_id");
            requireDomain(req.hasDomain(), req.getDomain());
            requireCiphertexts(req.getCiphertextsList());
            optionalId(req.hasContextId(), req.getContextId(), "context_id");
            optionalId(req.hasEpochId(), req.getEpochId(), "epoch_id");
            startDecryption(publicJobs, id, () -> results.publicDecryption(req));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void userDecrypt(UserDecryptionRequest req, StreamObserver<Empty> out) {
        answer(out, () -> {
            String id = requireId(req.hasRequestId(), req.getRequestId(), "request_id");
            requireId(req.hasKeyId(), req.getKeyId(), "key_id");
            requireDomain(req.hasDomain(), req.getDomain());
            requireCiphertexts(req.getTypedCiphertextsList());
            requireChecksummed(req.getClientAddress(), "client_address");
            if (req.getClientAddress().equalsIgnoreCase(req.getDomain().getVerifyingContract())) {
                throw invalid("client_address must differ from the verifying contract");
            }
            optionalId(req.hasContextId(), req.getContextId(), "context_id");
            optionalId(req.hasEpochId(), req.getEpochId(), "epoch_id");
            startDecryption(userJobs, id, () -> results.userDecryption(req));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void getPublicDecryptionResult(RequestId id, StreamObserver<PublicDecryptionResponse> out) {
        holdThenAnswer(publicJobs, id, out);
    }

    @Override
    public void getUserDecryptionResult(RequestId id, StreamObserver<UserDecryptionResponse> out) {
        holdThenAnswer(userJobs, id, out);
    }

    // ---- key generation preprocessing -----------------------------------------------------------

    @Override
    public void keyGenPreproc(KeyGenPreprocRequest req, StreamObserver<Empty> out) {
        answer(out, () -> {
            String id = requireId(req.hasRequestId(), req.getRequestId(), "request_id");
            requireDomain(req.hasDomain(), req.getDomain());
            requireStandardKeyset(req.getKeysetConfig());
            optionalId(req.hasContextId(), req.getContextId(), "context_id");
            optionalId(req.hasEpochId(), req.getEpochId(), "epoch_id");
            Job<KeyGenPreprocResult> job = new Job<>(readyAt(), results.keyGenPreproc(req), null, false);
            if (preprocJobs.putIfAbsent(id, job) != null) {
                throw Status.ALREADY_EXISTS.withDescription("preprocessing " + id + " already exists").asRuntimeException();
            }
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void getKeyGenPreprocResult(RequestId id, StreamObserver<KeyGenPreprocResult> out) {
        answer(out, () -> result(preprocJobs, id));
    }

    @Override
    public void abortKeyGen(RequestId id, StreamObserver<Empty> out) {
        answer(out, () -> {
            String key = requireId(id.getRequestId(), "request_id");
            if (preprocJobs.computeIfPresent(key, (k, job) -> job.abort()) == null) {
                throw Status.NOT_FOUND.withDescription("no preprocessing " + key).asRuntimeException();
            }
            preprocOfKey.forEach((keyId, preproc) -> {
                if (preproc.equals(key)) {
                    keyGenJobs.computeIfPresent(keyId, (k, job) -> job.abort());
                }
            });
            return Empty.getDefaultInstance();
        });
    }

    // ---- key and CRS generation -----------------------------------------------------------------

    @Override
    public void keyGen(KeyGenRequest req, StreamObserver<Empty> out) {
        answer(out, () -> {
            String id = requireId(req.hasRequestId(), req.getRequestId(), "request_id");
            String preproc = requireId(req.hasPreprocId(), req.getPreprocId(), "preproc_id");
            requireDomain(req.hasDomain(), req.getDomain());
            requireStandardKeyset(req.getKeysetConfig());
            optionalId(req.hasContextId(), req.getContextId(), "context_id");
            optionalId(req.hasEpochId(), req.getEpochId(), "epoch_id");
            Job<KeyGenPreprocResult> preprocessing = preprocJobs.get(preproc);
            if (preprocessing == null || preprocessing.aborted()) {
                throw Status.NOT_FOUND.withDescription("no preprocessing " + preproc + " to generate from")
                        .asRuntimeException();
            }
            if (keyGenJobs.putIfAbsent(id, new Job<>(readyAt(), results.keyGen(req), null, false)) != null) {
                throw Status.ALREADY_EXISTS.withDescription("key " + id + " already exists").asRuntimeException();
            }
            preprocOfKey.put(id, preproc);
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void getKeyGenResult(RequestId id, StreamObserver<KeyGenResult> out) {
        answer(out, () -> result(keyGenJobs, id));
    }

    @Override
    public void crsGen(CrsGenRequest req, StreamObserver<Empty> out) {
        answer(out, () -> {
            String id = requireId(req.hasRequestId(), req.getRequestId(), "request_id");
            requireDomain(req.hasDomain(), req.getDomain());
            if (!req.hasMaxNumBits()) {
                throw invalid("max_num_bits is missing");
            }
            optionalId(req.hasContextId(), req.getContextId(), "context_id");
            optionalId(req.hasEpochId(), req.getEpochId(), "epoch_id");
            if (crsJobs.putIfAbsent(id, new Job<>(readyAt(), results.crsGen(req), null, false)) != null) {
                throw Status.ALREADY_EXISTS.withDescription("CRS " + id + " already exists").asRuntimeException();
            }
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void getCrsGenResult(RequestId id, StreamObserver<CrsGenResult> out) {
        answer(out, () -> result(crsJobs, id));
    }

    @Override
    public void abortCrsGen(RequestId id, StreamObserver<Empty> out) {
        answer(out, () -> {
            String key = requireId(id.getRequestId(), "request_id");
            if (crsJobs.computeIfPresent(key, (k, job) -> job.abort()) == null) {
                throw Status.NOT_FOUND.withDescription("no CRS generation " + key).asRuntimeException();
            }
            return Empty.getDefaultInstance();
        });
    }

    private static void requireStandardKeyset(KeySetConfig config) {
        if (config.getKeysetType() == KeySetType.Standard && !config.hasStandardKeysetConfig()) {
            throw invalid("standard keyset config is missing");
        }
    }

    // ---- contexts and epochs ---------------------------------------------------------------------

    @Override
    public void newMpcContext(NewMpcContextRequest req, StreamObserver<Empty> out) {
        answer(out, () -> {
            if (!req.hasNewContext()) {
                throw invalid("new_context is missing");
            }
            MpcContext context = req.getNewContext();
            String id = requireId(context.hasContextId(), context.getContextId(), "context_id");
            if (context.getMpcNodesCount() == 0) {
                throw invalid("context " + id + " has no MPC node");
            }
            for (MpcNode node : context.getMpcNodesList()) {
                if (!node.hasSignerAddress() || node.getSignerAddress().size() != 20) {
                    throw invalid("MPC node " + node.getMpcIdentity() + " needs a 20-byte signer_address");
                }
                if (node.getExtraSignerAddressesList().stream().anyMatch(a -> a.size() != 20)) {
                    throw invalid("MPC node " + node.getMpcIdentity() + " has an extra signer address that is not"
                            + " 20 bytes");
                }
            }
            if (context.getThreshold() < 0 || context.getThreshold() >= context.getMpcNodesCount() + 1) {
                throw invalid("threshold " + context.getThreshold() + " for " + context.getMpcNodesCount() + " nodes");
            }
            if (contexts.putIfAbsent(id, context) != null) {
                throw Status.ALREADY_EXISTS.withDescription("context " + id + " already exists").asRuntimeException();
            }
            return Empty.getDefaultInstance();
        });
    }

    /** Destroys the context and the epochs the double made for it, and names those epochs. */
    @Override
    public void destroyMpcContext(DestroyMpcContextRequest req, StreamObserver<DestroyMpcContextResponse> out) {
        answer(out, () -> {
            String id = requireId(req.hasContextId(), req.getContextId(), "context_id");
            if (contexts.remove(id) == null) {
                throw Status.NOT_FOUND.withDescription("no context " + id).asRuntimeException();
            }
            DestroyMpcContextResponse.Builder reply = DestroyMpcContextResponse.newBuilder();
            contextOfEpoch.forEach((epoch, context) -> {
                if (context.equals(id) && contextOfEpoch.remove(epoch, context)) {
                    epochJobs.remove(epoch);
                    reply.addEpochIds(RequestId.newBuilder().setRequestId(epoch));
                }
            });
            return reply.build();
        });
    }

    /** An epoch of a known context; its result reshares what the request names of the previous epoch. */
    @Override
    public void newMpcEpoch(NewMpcEpochRequest req, StreamObserver<Empty> out) {
        answer(out, () -> {
            String context = requireId(req.hasContextId(), req.getContextId(), "context_id");
            String epoch = requireId(req.hasEpochId(), req.getEpochId(), "epoch_id");
            requireDomain(req.hasDomain(), req.getDomain());
            if (req.hasPreviousEpoch()) {
                requireId(req.getPreviousEpoch().hasContextId(), req.getPreviousEpoch().getContextId(),
                        "previous_epoch.context_id");
                requireId(req.getPreviousEpoch().hasEpochId(), req.getPreviousEpoch().getEpochId(),
                        "previous_epoch.epoch_id");
            }
            if (!contexts.containsKey(context)) {
                throw Status.NOT_FOUND.withDescription("no context " + context + " for epoch " + epoch)
                        .asRuntimeException();
            }
            Job<EpochResultResponse> job;
            try {
                job = new Job<>(readyAt(), results.epochResult(req, this::maxBitsOf), null, false);
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
            if (epochJobs.putIfAbsent(epoch, job) != null) {
                throw Status.ALREADY_EXISTS.withDescription("epoch " + epoch + " already exists").asRuntimeException();
            }
            epochRequests.put(epoch, req);
            contextOfEpoch.put(epoch, context);
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void getEpochResult(RequestId id, StreamObserver<EpochResultResponse> out) {
        answer(out, () -> result(epochJobs, id));
    }

    @Override
    public void destroyMpcEpoch(DestroyMpcEpochRequest req, StreamObserver<Empty> out) {
        answer(out, () -> {
            String id = requireId(req.hasEpochId(), req.getEpochId(), "epoch_id");
            if (epochJobs.remove(id) == null) {
                throw Status.NOT_FOUND.withDescription("no epoch " + id).asRuntimeException();
            }
            contextOfEpoch.remove(id);
            return Empty.getDefaultInstance();
        });
    }

    Optional<MpcContext> context(String id) {
        return Optional.ofNullable(contexts.get(id));
    }

    Optional<NewMpcEpochRequest> epochRequest(String id) {
        return Optional.ofNullable(epochRequests.get(id));
    }

    private int maxBitsOf(String crsId) {
        Job<CrsGenResult> crs = crsJobs.get(crsId);
        return crs == null || crs.result() == null ? 0 : crs.result().getMaxNumBits();
    }

    // ---- shared mechanics -------------------------------------------------------------------------

    private <T> void startDecryption(Map<String, Job<T>> jobs, String id, Supplier<T> compute) {
        Job<T> job;
        try {
            job = new Job<>(readyAt(), compute.get(), null, false);
        } catch (IllegalArgumentException e) {
            // the core accepts the request and fails in the background; the poll reports INTERNAL
            job = new Job<>(readyAt(), null, e.getMessage(), false);
        }
        Job<T> previous = jobs.putIfAbsent(id, job);
        // "redo on failure": a failed decryption may be started again; any other known id is refused
        if (previous != null && (previous.failure() == null || !jobs.replace(id, previous, job))) {
            throw Status.ALREADY_EXISTS.withDescription("decryption " + id + " already exists").asRuntimeException();
        }
    }

    /**
     * Like the core's decryption polls: a result that is not ready yet is waited for, up to the
     * hold window, before UNAVAILABLE. Waits on a timer, not on a grpc thread.
     */
    private <T> void holdThenAnswer(Map<String, Job<T>> jobs, RequestId id, StreamObserver<T> out) {
        Job<T> job = jobs.get(id.getRequestId());
        long wait = job == null || job.aborted() ? 0
                : Math.min(job.readyAtNanos() - System.nanoTime(), pollHold.toNanos());
        if (wait <= 0) {
            answer(out, () -> result(jobs, id));
            return;
        }
        ServerCallStreamObserver<T> call = (ServerCallStreamObserver<T>) out;
        holds.schedule(() -> {
            if (!call.isCancelled()) { // the client's deadline may have passed meanwhile
                answer(out, () -> result(jobs, id));
            }
        }, wait, TimeUnit.NANOSECONDS);
    }

    private <T> T result(Map<String, Job<T>> jobs, RequestId id) {
        String key = requireId(id.getRequestId(), "request_id");
        Job<T> job = jobs.get(key);
        if (job == null) {
            throw Status.NOT_FOUND.withDescription("unknown request " + key).asRuntimeException();
        }
        if (job.aborted()) {
            throw Status.ABORTED.withDescription("request " + key + " was aborted").asRuntimeException();
        }
        if (System.nanoTime() - job.readyAtNanos() < 0) {
            throw Status.UNAVAILABLE.withDescription("result of " + key + " is not ready yet").asRuntimeException();
        }
        if (job.failure() != null) {
            throw Status.INTERNAL.withDescription(job.failure()).asRuntimeException();
        }
        return job.result();
    }

    private long readyAt() {
        return System.nanoTime() + resultDelay.toNanos();
    }

    private static <T> void answer(StreamObserver<T> out, Supplier<T> body) {
        T reply;
        try {
            reply = body.get();
        } catch (StatusRuntimeException e) {
            out.onError(e);
            return;
        }
        out.onNext(reply);
        out.onCompleted();
    }
}
