package org.kmsconnector.worker;

import java.io.IOException;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.kmsconnector.chain.KmsContextHistory;
import org.kmsconnector.chain.KmsContextPayload;
import org.kmsconnector.chain.KmsGenerationViews;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.db.ClaimedRow;
import org.kmsconnector.db.KmsContextCache;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.db.Operations;
import org.kmsconnector.kms.v1.DestroyMpcContextResponse;
import org.kmsconnector.kms.v1.EpochResultResponse;
import org.kmsconnector.kms.v1.NewMpcContextRequest;
import org.kmsconnector.kms.v1.RequestId;
import org.kmsconnector.worker.auth.Refusal;
import org.kmsconnector.worker.job.ProtocolJobs.NewContextJob;
import org.kmsconnector.worker.job.ProtocolJobs.NewEpochJob;
import org.kmsconnector.worker.kms.ContextRequests;
import org.kmsconnector.worker.kms.DecryptionRequests;
import org.kmsconnector.worker.kms.EpochResults;
import org.kmsconnector.worker.kms.KmsCoreClient;
import org.kmsconnector.worker.kms.PollOutcome;
import org.kmsconnector.worker.kms.SendOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ProtocolConfig kinds (kms-grpc.md §3.1, §3.3, §6.5): a new context is told to the KMS Core
 * with the committee it follows, rebuilt from chain data and checked against its anchor; a new
 * epoch reshares the previous epoch's keys and CRSs as KMSGeneration held them at the epoch's
 * material block; the destructions are sent and done on the acknowledgement, and the epochs the
 * KMS Core destroyed with a context are marked invalid in the cache.
 */
public final class ProtocolConfigFlows {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolConfigFlows.class);

    private ProtocolConfigFlows() {}

    /** The four flows, NewMpcEpoch signed under ProtocolConfig's domain on Ethereum. */
    public static List<OperationFlow<?, ?>> all(KmsCoreClient kmsCore, KmsContextHistory history,
            KmsGenerationViews kmsGeneration, DecryptionRequests.Domain protocolConfig, KmsContextCache cache) {
        return List.of(new NewContext(kmsCore, history), new NewEpoch(kmsCore, kmsGeneration, protocolConfig),
                new AcknowledgedFlow(Operations.KMS_CONTEXT_DESTROYED, new ContextDestruction(kmsCore, cache)),
                new AcknowledgedFlow(Operations.KMS_EPOCH_DESTROYED, kmsCore::destroyMpcEpoch));
    }

    /** NewMpcContext for the previous context (already known is fine), then for the new one; no result to poll. */
    static final class NewContext implements OperationFlow<NewContextJob, Void> {
        private final KmsCoreClient kmsCore;
        private final KmsContextHistory history;

        NewContext(KmsCoreClient kmsCore, KmsContextHistory history) {
            this.kmsCore = kmsCore;
            this.history = history;
        }

        public OperationKind kind() {
            return Operations.NEW_KMS_CONTEXT;
        }

        public NewContextJob parse(ClaimedRow row) {
            return NewContextJob.fromRow(row);
        }

        public Optional<Refusal> check(NewContextJob job) {
            return Optional.empty();
        }

        public SendOutcome send(NewContextJob job) throws Refused {
            KmsContextPayload previous;
            try {
                previous = history.definition(job.previousContextId());
            } catch (IOException e) {
                throw new Refused(Refusal.recoverable("network", "reading the previous KMS context "
                        + job.previousContextId() + " failed: " + e.getMessage()));
            } catch (KmsContextHistory.Mismatch e) {
                throw new Refused(Refusal.irrecoverable("kms_context", e.getMessage()));
            }
            NewMpcContextRequest old = ContextRequests.newMpcContext(job.previousContextId(), previous);
            NewMpcContextRequest fresh = ContextRequests.newMpcContext(job.id(), job.context());
            SendOutcome first = kmsCore.newMpcContext(old);
            if (!first.ok()) {
                return first;
            }
            SendOutcome second = kmsCore.newMpcContext(fresh);
            return new SendOutcome(second.kind(), first.failedAttempts() + second.failedAttempts(), second.message());
        }

        public boolean polls() {
            return false;
        }

        public PollOutcome<Void> poll(NewContextJob job) {
            throw new UnsupportedOperationException("a new KMS context has no result to poll");
        }

        /** The response is the context id alone: what confirmKmsContextCreation takes. */
        public Outcome toResponse(NewContextJob job, Void nothing) {
            return Outcome.done(List.of());
        }
    }

    /** NewMpcEpoch with the previous epoch's material → GetEpochResult → epoch_result_responses. */
    static final class NewEpoch implements OperationFlow<NewEpochJob, EpochResultResponse> {
        private final KmsCoreClient kmsCore;
        private final KmsGenerationViews kmsGeneration;
        private final DecryptionRequests.Domain domain;

        NewEpoch(KmsCoreClient kmsCore, KmsGenerationViews kmsGeneration, DecryptionRequests.Domain domain) {
            this.kmsCore = kmsCore;
            this.kmsGeneration = kmsGeneration;
            this.domain = domain;
        }

        public OperationKind kind() {
            return Operations.NEW_KMS_EPOCH;
        }

        public NewEpochJob parse(ClaimedRow row) {
            return NewEpochJob.fromRow(row);
        }

        public Optional<Refusal> check(NewEpochJob job) {
            return Optional.empty();
        }

        public SendOutcome send(NewEpochJob job) throws Refused {
            BigInteger block = job.materialBlockNumber();
            List<KmsGenerationViews.KeyInfo> keys = new ArrayList<>();
            List<ContextRequests.Crs> crsList = new ArrayList<>();
            try {
                for (BigInteger keyId : kmsGeneration.completedKeyIds(block)) {
                    keys.add(kmsGeneration.keyInfo(keyId, block));
                }
                for (BigInteger crsId : kmsGeneration.completedCrsIds(block)) {
                    crsList.add(new ContextRequests.Crs(crsId, kmsGeneration.crsDigest(crsId, block)));
                }
            } catch (IOException e) {
                throw new Refused(Refusal.recoverable("network", "reading the material of epoch "
                        + job.previousEpochId() + " failed: " + e.getMessage()));
            }
            return kmsCore.newMpcEpoch(job.id(), ContextRequests.newMpcEpoch(job.contextId(), job.id(),
                    job.previousContextId(), job.previousEpochId(), keys, crsList, domain));
        }

        public PollOutcome<EpochResultResponse> poll(NewEpochJob job) {
            return kmsCore.getEpochResult(job.id());
        }

        public Outcome toResponse(NewEpochJob job, EpochResultResponse result) {
            try {
                return Outcome.done(List.of(Uint256.toLittleEndian(job.contextId()), EpochResults.keysAbi(result),
                        EpochResults.crsListAbi(result)));
            } catch (IllegalArgumentException e) {
                return Outcome.failed("the KMS Core's result of epoch " + job.idHex() + " cannot be sent: "
                        + e.getMessage());
            }
        }
    }

    /**
     * DestroyMpcContext; the epochs the KMS Core reports destroyed with the context are marked
     * invalid (only a warning when that write fails: the context itself is already invalid).
     */
    static final class ContextDestruction implements Function<BigInteger, SendOutcome> {
        private final KmsCoreClient kmsCore;
        private final KmsContextCache cache;

        ContextDestruction(KmsCoreClient kmsCore, KmsContextCache cache) {
            this.kmsCore = kmsCore;
            this.cache = cache;
        }

        @Override
        public SendOutcome apply(BigInteger contextId) {
            KmsCoreClient.Replied<DestroyMpcContextResponse> replied = kmsCore.destroyMpcContext(contextId);
            if (!replied.outcome().ok() || replied.reply() == null) {
                return replied.outcome();
            }
            List<BigInteger> epochs = new ArrayList<>();
            for (RequestId id : replied.reply().getEpochIdsList()) {
                try {
                    if (id.getRequestId().length() != 64) {
                        throw new IllegalArgumentException("not 32 bytes");
                    }
                    epochs.add(Uint256.fromRequestId(id.getRequestId()));
                } catch (IllegalArgumentException e) {
                    return new SendOutcome(SendOutcome.Kind.IRRECOVERABLE, replied.outcome().failedAttempts(),
                            "DestroyMpcContext answered a malformed epoch id '" + id.getRequestId() + "'");
                }
            }
            for (BigInteger epoch : epochs) {
                try {
                    cache.invalidateEpoch(epoch);
                } catch (SQLException e) {
                    LOG.warn("KMS context {} destroyed, but its epoch {} could not be marked invalid: {}", contextId,
                            epoch, e.getMessage());
                }
            }
            if (!epochs.isEmpty()) {
                LOG.info("KMS context {} destroyed with its epochs {}", contextId, epochs);
            }
            return replied.outcome();
        }
    }
}
