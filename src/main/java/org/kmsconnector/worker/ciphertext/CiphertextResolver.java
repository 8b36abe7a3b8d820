package org.kmsconnector.worker.ciphertext;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.kmsconnector.chain.Handle;
import org.kmsconnector.worker.ciphertext.ConsensusTracker.Winner;
import org.kmsconnector.worker.ciphertext.ResolvedCiphertexts.Item;
import org.kmsconnector.worker.ciphertext.S3ObjectClient.Head;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Hash;

/**
 * Turns the handles of a request into attested ciphertexts (RFC-023): every coprocessor bucket is
 * asked for its attestation, the signers must agree on the material, and the body is fetched from
 * a bucket of the agreeing group and checked against the agreed digest. Handles are resolved
 * concurrently; the first failure fails the request and stops the rest.
 */
public final class CiphertextResolver {
    /** Largest valid FheType value (handle byte 30). */
    public static final int MAX_FHE_TYPE = 83;

    private static final Logger LOG = LoggerFactory.getLogger(CiphertextResolver.class);

    private final Supplier<CoprocessorRegistry.Snapshot> registry;
    private final S3Settings settings;
    private final S3ObjectClient s3;
    private final RetrievalListener listener;
    private final AtomicLong retrievals = new AtomicLong();
    private final AtomicLong retrievalErrors = new AtomicLong();

    public CiphertextResolver(Supplier<CoprocessorRegistry.Snapshot> registry, S3Settings settings,
            RetrievalListener listener) {
        this.registry = registry;
        this.settings = settings;
        this.s3 = new S3ObjectClient(settings);
        this.listener = listener;
    }

    /** Successful GETs so far (kms_connector_worker_s3_ciphertext_retrieval_counter). */
    public long retrievals() {
        return retrievals.get();
    }

    /** Failed GETs so far (kms_connector_worker_s3_ciphertext_retrieval_errors). */
    public long retrievalErrors() {
        return retrievalErrors.get();
    }

    public ResolvedCiphertexts resolve(List<Handle> handles) throws CiphertextException {
        if (handles == null || handles.isEmpty()) {
            throw CiphertextException.recoverable(CiphertextException.COPRO_CONSENSUS, "no handles to resolve");
        }
        for (Handle h : handles) {
            if (h.fheType() > MAX_FHE_TYPE) {
                throw CiphertextException.irrecoverable("handle " + h + " has invalid FHE type " + h.fheType());
            }
        }
        CoprocessorRegistry.Snapshot snapshot = registry.get();
        if (snapshot == null || snapshot.bucketUrls().isEmpty()) {
            throw CiphertextException.recoverable(CiphertextException.COPRO_CONSENSUS,
                    "no coprocessor registry snapshot with buckets is available");
        }

        Scope scope = new Scope();
        List<CompletableFuture<Resolved>> parts = new ArrayList<>();
        CompletableFuture<Void> firstFailure = new CompletableFuture<>();
        for (Handle h : handles) {
            CompletableFuture<Resolved> part = agree(h, snapshot, scope).thenCompose(w -> retrieve(h, w, scope, 0, true, null));
            part.whenComplete((r, e) -> {
                if (e != null) {
                    firstFailure.completeExceptionally(e);
                }
            });
            parts.add(part);
        }
        try {
            CompletableFuture.anyOf(CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)), firstFailure).get();
        } catch (ExecutionException e) {
            scope.abort();
            throw asCiphertextException(e.getCause());
        } catch (InterruptedException e) {
            scope.abort();
            Thread.currentThread().interrupt();
            throw CiphertextException.recoverable(CiphertextException.NETWORK, "interrupted while fetching ciphertexts");
        }

        List<Resolved> resolved = parts.stream().map(CompletableFuture::join).toList();
        BigInteger keyId = resolved.get(0).keyId();
        for (Resolved r : resolved) {
            if (!r.keyId().equals(keyId)) {
                throw CiphertextException.irrecoverable("handles are attested under different key ids: 0x"
                        + keyId.toString(16) + " and 0x" + r.keyId().toString(16) + " (" + r.item().handle() + ")");
            }
        }
        return new ResolvedCiphertexts(keyId, resolved.stream().map(Resolved::item).toList());
    }

    /** HEADs every bucket and completes with the winner as soon as it is certain. */
    private CompletableFuture<Winner> agree(Handle handle, CoprocessorRegistry.Snapshot snapshot, Scope scope) {
        ConsensusTracker tracker = new ConsensusTracker(snapshot.threshold(), snapshot.bucketUrls().size());
        CompletableFuture<Winner> verdict = new CompletableFuture<>();
        List<CompletableFuture<Head>> heads = new ArrayList<>();
        for (String bucket : snapshot.bucketUrls()) {
            CompletableFuture<Head> head = scope.track(s3.head(bucket, handle));
            heads.add(head);
            head.whenComplete((answer, error) -> {
                if (error != null) { // cancelled: the verdict is in, or the request was abandoned
                    verdict.completeExceptionally(error);
                    return;
                }
                count(tracker, handle, snapshot, answer);
                ConsensusTracker.Decision d = tracker.decide();
                if (d.winner() != null) {
                    verdict.complete(d.winner());
                } else if (d.noConsensus()) {
                    verdict.completeExceptionally(CiphertextException.recoverable(
                            tracker.allTransportFailures() ? CiphertextException.NETWORK : CiphertextException.COPRO_CONSENSUS,
                            "no coprocessor consensus for handle " + handle + ": " + tracker.summary()));
                }
            });
        }
        // once decided, outstanding HEADs are useless: free their permits
        verdict.whenComplete((w, e) -> heads.forEach(h -> h.cancel(true)));
        return verdict;
    }

    /** Drops what must not vote: missing, malformed, wrong version, unknown signer, bad signature. */
    private static void count(ConsensusTracker tracker, Handle handle, CoprocessorRegistry.Snapshot snapshot, Head answer) {
        String bucket = answer.bucket();
        if (answer.transportFailure()) {
            LOG.warn("HEAD {} for {} failed: {}", bucket, handle, answer.problem());
            tracker.miss(ConsensusTracker.Miss.TRANSPORT);
            return;
        }
        if (answer.status() == 404) {
            LOG.debug("Bucket {} has no ciphertext for {}", bucket, handle);
            tracker.miss(ConsensusTracker.Miss.NOT_FOUND);
            return;
        }
        String reason = null;
        Attestation attestation = null;
        if (answer.status() / 100 != 2) {
            reason = "HTTP " + answer.status();
        } else if (answer.attestation() == null) {
            reason = "no " + Attestation.HEADER + " header";
        } else {
            try {
                attestation = Attestation.parse(answer.attestation());
                if (attestation.version() != Attestation.VERSION) {
                    reason = "unsupported attestation version " + attestation.version();
                } else if (!snapshot.signers().contains(attestation.signer())) {
                    reason = "signer " + attestation.signer() + " is not a registered coprocessor signer";
                } else if (!attestation.signedBy(handle.bytes())) {
                    reason = "signature does not recover " + attestation.signer();
                }
            } catch (IllegalArgumentException e) {
                reason = "malformed attestation: " + e.getMessage();
            }
        }
        if (reason != null) {
            LOG.warn("Attestation from {} for {} dropped: {}", bucket, handle, reason);
            tracker.miss(ConsensusTracker.Miss.DROPPED);
        } else {
            tracker.accept(bucket, attestation);
        }
    }

    /**
     * Try {@code attempt}: round {@code attempt / n} over the n winning buckets, no pause between
     * tries. A body counts only if its keccak256 is the agreed sns digest.
     */
    private CompletableFuture<Resolved> retrieve(Handle handle, Winner winner, Scope scope, int attempt,
            boolean onlyTransportFailures, String lastProblem) {
        List<String> buckets = winner.buckets();
        if (attempt >= settings.retrievalAttempts() * buckets.size()) {
            return CompletableFuture.failedFuture(CiphertextException.recoverable(
                    onlyTransportFailures && attempt > 0 ? CiphertextException.NETWORK : CiphertextException.COPRO_CONSENSUS,
                    "ciphertext of " + handle + " could not be retrieved from " + buckets + " in "
                            + settings.retrievalAttempts() + " round(s); last problem: " + lastProblem));
        }
        if (scope.aborted()) {
            return CompletableFuture.failedFuture(new CancellationException("request abandoned"));
        }
        String bucket = buckets.get(attempt % buckets.size());
        return scope.track(s3.get(bucket, handle)).thenCompose(fetch -> {
            String problem = fetch.problem();
            if (problem == null && !Arrays.equals(Hash.sha3(fetch.body()), winner.material().snsDigestBytes())) {
                problem = "keccak256 of the body is not the attested sns_ciphertext_digest";
            }
            if (problem == null) {
                record(true);
                Item item = new Item(handle, fetch.body(), handle.fheType(), winner.material().format());
                return CompletableFuture.completedFuture(new Resolved(item, winner.material().keyId()));
            }
            record(false);
            LOG.warn("GET {} for {} failed (try {}): {}", bucket, handle, attempt + 1, problem);
            return retrieve(handle, winner, scope, attempt + 1, onlyTransportFailures && fetch.transportFailure(), problem);
        });
    }

    private void record(boolean ok) {
        (ok ? retrievals : retrievalErrors).incrementAndGet();
        try {
            listener.onRetrieval(ok);
        } catch (RuntimeException e) {
            LOG.warn("Retrieval listener failed", e);
        }
    }

    private static CiphertextException asCiphertextException(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof CiphertextException ce) {
            return ce;
        }
        return CiphertextException.recoverable(CiphertextException.NETWORK,
                "ciphertext retrieval failed: " + c.getClass().getSimpleName() + ": " + c.getMessage());
    }

    private record Resolved(Item item, BigInteger keyId) {}

    /** The network calls of one request, so that a failure can cancel what is still running. */
    private static final class Scope {
        private final Set<CompletableFuture<?>> live = ConcurrentHashMap.newKeySet();
        private volatile boolean aborted;

        <T> CompletableFuture<T> track(CompletableFuture<T> f) {
            live.add(f);
            f.whenComplete((v, e) -> live.remove(f));
            if (aborted) {
                f.cancel(true);
            }
            return f;
        }

        boolean aborted() {
            return aborted;
        }

        void abort() {
            aborted = true;
            live.forEach(f -> f.cancel(true));
        }
    }
}
