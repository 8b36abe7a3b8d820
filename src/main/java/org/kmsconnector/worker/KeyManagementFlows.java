package org.kmsconnector.worker;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.chain.KeyDigest;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.db.ClaimedRow;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.db.Operations;
import org.kmsconnector.kms.v1.CrsGenResult;
import org.kmsconnector.kms.v1.KeyGenPreprocResult;
import org.kmsconnector.kms.v1.KeyGenResult;
import org.kmsconnector.kms.v1.RequestId;
import org.kmsconnector.worker.auth.ContextCheck;
import org.kmsconnector.worker.auth.Refusal;
import org.kmsconnector.worker.job.KeyManagementJobs.CrsgenJob;
import org.kmsconnector.worker.job.KeyManagementJobs.KeygenJob;
import org.kmsconnector.worker.job.KeyManagementJobs.PrepKeygenJob;
import org.kmsconnector.worker.job.OperationJob;
import org.kmsconnector.worker.kms.DecryptionRequests;
import org.kmsconnector.worker.kms.KeyManagementRequests;
import org.kmsconnector.worker.kms.KmsCoreClient;
import org.kmsconnector.worker.kms.PollOutcome;
import org.kmsconnector.worker.kms.SendOutcome;

/**
 * The KMSGeneration kinds (kms-grpc.md §3.1, §6.4, §8): prep-keygen, keygen and CRS generation
 * check the KMS context their extraData pins, start the operation and poll its result, which
 * becomes the response the tx-sender sends to KMSGeneration; the aborts are sent and done on the
 * KMS Core's acknowledgement (the aborted operation's own poll then answers ABORTED).
 */
public final class KeyManagementFlows {
    private KeyManagementFlows() {}

    /** Builds the five flows on one KMS Core client, under the KMSGeneration domain on Ethereum. */
    public static List<OperationFlow<?, ?>> all(ContextCheck context, KmsCoreClient kmsCore,
            DecryptionRequests.Domain kmsGeneration) {
        return List.of(new PrepKeygen(context, kmsCore, kmsGeneration), new Keygen(context, kmsCore, kmsGeneration),
                new Crsgen(context, kmsCore, kmsGeneration),
                new AcknowledgedFlow(Operations.ABORT_KEYGEN, kmsCore::abortKeyGen),
                new AcknowledgedFlow(Operations.ABORT_CRSGEN, kmsCore::abortCrsGen));
    }

    /** KeyGenPreproc → GetKeyGenPreprocResult → prep_keygen_responses (signature). */
    static final class PrepKeygen implements OperationFlow<PrepKeygenJob, KeyGenPreprocResult> {
        private final ContextCheck context;
        private final KmsCoreClient kmsCore;
        private final DecryptionRequests.Domain domain;

        PrepKeygen(ContextCheck context, KmsCoreClient kmsCore, DecryptionRequests.Domain domain) {
            this.context = context;
            this.kmsCore = kmsCore;
            this.domain = domain;
        }

        public OperationKind kind() {
            return Operations.PREP_KEYGEN;
        }

        public PrepKeygenJob parse(ClaimedRow row) {
            return PrepKeygenJob.fromRow(row);
        }

        public Optional<Refusal> check(PrepKeygenJob job) {
            return GuardedCheck.pinnedContext(context, kind(), job, job.extraData());
        }

        public SendOutcome send(PrepKeygenJob job) {
            return kmsCore.keyGenPreproc(job.id(), KeyManagementRequests.keyGenPreproc(job.id(), job.paramsType(),
                    domain, job.extraData()));
        }

        public PollOutcome<KeyGenPreprocResult> poll(PrepKeygenJob job) {
            return kmsCore.getKeyGenPreprocResult(job.id());
        }

        public Outcome toResponse(PrepKeygenJob job, KeyGenPreprocResult result) {
            Optional<Outcome> wrongId = mismatch(job, result.hasPreprocessingId(), result.getPreprocessingId());
            return wrongId.orElseGet(() -> Outcome.done(List.of(result.getExternalSignature().toByteArray())));
        }
    }

    /** KeyGen → GetKeyGenResult, both on the shard of the prep-keygen id → keygen_responses (digests, signature). */
    static final class Keygen implements OperationFlow<KeygenJob, KeyGenResult> {
        private final ContextCheck context;
        private final KmsCoreClient kmsCore;
        private final DecryptionRequests.Domain domain;

        Keygen(ContextCheck context, KmsCoreClient kmsCore, DecryptionRequests.Domain domain) {
            this.context = context;
            this.kmsCore = kmsCore;
            this.domain = domain;
        }

        public OperationKind kind() {
            return Operations.KEYGEN;
        }

        public KeygenJob parse(ClaimedRow row) {
            return KeygenJob.fromRow(row);
        }

        public Optional<Refusal> check(KeygenJob job) {
            return GuardedCheck.pinnedContext(context, kind(), job, job.extraData());
        }

        public SendOutcome send(KeygenJob job) {
            return kmsCore.keyGen(job.prepKeygenId(), KeyManagementRequests.keyGen(job.id(), job.prepKeygenId(),
                    domain, job.extraData()));
        }

        public PollOutcome<KeyGenResult> poll(KeygenJob job) {
            return kmsCore.getKeyGenResult(job.prepKeygenId(), job.id());
        }

        /** The digests in the order the KMS Core gave them: the order is part of what it signed. */
        public Outcome toResponse(KeygenJob job, KeyGenResult result) {
            Optional<Outcome> wrongId = mismatch(job, result.hasRequestId(), result.getRequestId());
            if (wrongId.isPresent()) {
                return wrongId.get();
            }
            if (result.getKeyDigestsCount() == 0) {
                return Outcome.failed("the KMS Core answered key " + job.idHex() + " without a key digest");
            }
            List<KeyDigest> digests = new ArrayList<>();
            try {
                for (org.kmsconnector.kms.v1.KeyDigest d : result.getKeyDigestsList()) {
                    digests.add(new KeyDigest(KeyDigest.Type.fromKms(d.getKeyType()), d.getDigest().toByteArray()));
                }
            } catch (IllegalArgumentException e) {
                return Outcome.failed("the KMS Core's key digests cannot be sent: " + e.getMessage());
            }
            return Outcome.done(List.of(digests, result.getExternalSignature().toByteArray()));
        }
    }

    /** CrsGen → GetCrsGenResult → crsgen_responses (digest, signature). */
    static final class Crsgen implements OperationFlow<CrsgenJob, CrsGenResult> {
        private final ContextCheck context;
        private final KmsCoreClient kmsCore;
        private final DecryptionRequests.Domain domain;

        Crsgen(ContextCheck context, KmsCoreClient kmsCore, DecryptionRequests.Domain domain) {
            this.context = context;
            this.kmsCore = kmsCore;
            this.domain = domain;
        }

        public OperationKind kind() {
            return Operations.CRSGEN;
        }

        public CrsgenJob parse(ClaimedRow row) {
            return CrsgenJob.fromRow(row);
        }

        public Optional<Refusal> check(CrsgenJob job) {
            return GuardedCheck.pinnedContext(context, kind(), job, job.extraData());
        }

        public SendOutcome send(CrsgenJob job) {
            return kmsCore.crsGen(job.id(), KeyManagementRequests.crsGen(job.id(), job.maxBitLength(),
                    job.paramsType(), domain, job.extraData()));
        }

        public PollOutcome<CrsGenResult> poll(CrsgenJob job) {
            return kmsCore.getCrsGenResult(job.id());
        }

        public Outcome toResponse(CrsgenJob job, CrsGenResult result) {
            Optional<Outcome> wrongId = mismatch(job, result.hasRequestId(), result.getRequestId());
            return wrongId.orElseGet(() -> Outcome.done(List.of(result.getCrsDigest().toByteArray(),
                    result.getExternalSignature().toByteArray())));
        }
    }

    /** The KMS Core's reply must be about the operation polled: its id is what goes on chain. */
    static Optional<Outcome> mismatch(OperationJob job, boolean present, RequestId replied) {
        if (!present) {
            return Optional.of(Outcome.failed("the KMS Core's answer for " + job.idHex() + " carries no id"));
        }
        BigInteger id;
        try {
            id = Uint256.fromRequestId(replied.getRequestId());
        } catch (IllegalArgumentException e) {
            return Optional.of(Outcome.failed("the KMS Core's answer for " + job.idHex() + " has a malformed id: "
                    + e.getMessage()));
        }
        return id.equals(job.id()) ? Optional.empty()
                : Optional.of(Outcome.failed("the KMS Core answered for 0x" + id.toString(16) + " when asked for "
                        + job.idHex()));
    }
}
