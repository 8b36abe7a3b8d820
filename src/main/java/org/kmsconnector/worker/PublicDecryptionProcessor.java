package org.kmsconnector.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kmsconnector.chain.ExtraData;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.worker.ciphertext.CiphertextException;
import org.kmsconnector.worker.ciphertext.CiphertextResolver;
import org.kmsconnector.worker.ciphertext.ResolvedCiphertexts;
import org.kmsconnector.worker.kms.DecryptionRequests;
import org.kmsconnector.worker.kms.DecryptionResults;
import org.kmsconnector.worker.kms.KmsCoreClient;
import org.kmsconnector.worker.kms.PollOutcome;
import org.kmsconnector.worker.kms.SendOutcome;
import org.kmsconnector.kms.v1.PublicDecryptionRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one attempt at a public decryption, called in turn by the route: parse the
 * claimed row, check it (re-run on every attempt), send it to the KMS Core unless it already
 * has it, poll the result. No step throws: every failure ends the attempt with an outcome.
 */
public final class PublicDecryptionProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(PublicDecryptionProcessor.class);
    static final String EVENT_TYPE = "public_decryption_request";

    private final PublicDecryptionAcl acl;
    private final CiphertextResolver ciphertexts;
    private final KmsCoreClient kmsCore;
    private final DecryptionRequests.Domain domain;
    private final ConnectorMetrics metrics;

    public PublicDecryptionProcessor(PublicDecryptionAcl acl, CiphertextResolver ciphertexts, KmsCoreClient kmsCore,
            DecryptionRequests.Domain domain, ConnectorMetrics metrics) {
        this.acl = acl;
        this.ciphertexts = ciphertexts;
        this.kmsCore = kmsCore;
        this.domain = domain;
        this.metrics = metrics;
    }

    /** A claimed row becomes an attempt; a row too broken to read ends failed at once. */
    public PublicDecryptionAttempt parse(Map<String, Object> row) {
        metrics.increment("kms_connector_worker_event_received_counter", "event_type", EVENT_TYPE);
        try {
            return new PublicDecryptionAttempt(PublicDecryptionJob.fromRow(row));
        } catch (Exception e) {
            PublicDecryptionAttempt broken = new PublicDecryptionAttempt(PublicDecryptionJob.unreadable(row));
            LOG.error("Unreadable public_decryption_requests row {}: {}", broken.getJob().rowIdHex(), e.getMessage());
            broken.end(Outcome.failed("unreadable row: " + e.getMessage()));
            return broken;
        }
    }

    /** extra_data and the host-chain ACL, on every attempt, including those that only poll. */
    public PublicDecryptionAttempt check(PublicDecryptionAttempt attempt) {
        if (!attempt.isOpen()) {
            return attempt;
        }
        PublicDecryptionJob job = attempt.getJob();
        if (job.handles().isEmpty()) {
            attempt.end(Outcome.failed("the request has no ciphertext handle"));
            return attempt;
        }
        try {
            ExtraData.parse(job.extraData());
        } catch (IllegalArgumentException e) {
            attempt.end(Outcome.failed("bad extra_data: " + e.getMessage()));
            return attempt;
        }
        acl.check(job.handles()).ifPresent(refusal -> {
            metrics.increment("kms_connector_worker_request_check_errors", "check_type", refusal.checkType());
            attempt.retry(refusal.reason());
        });
        return attempt;
    }

    /** Ciphertexts from the coprocessors' buckets, then PublicDecrypt. */
    public PublicDecryptionAttempt send(PublicDecryptionAttempt attempt) {
        if (!attempt.isToSend()) {
            return attempt;
        }
        PublicDecryptionJob job = attempt.getJob();
        ResolvedCiphertexts resolved;
        try {
            resolved = ciphertexts.resolve(job.handles());
        } catch (CiphertextException e) {
            metrics.increment("kms_connector_worker_request_check_errors", "check_type", e.checkType());
            if (e.recoverable()) {
                attempt.retry(e.getMessage());
            } else {
                attempt.end(Outcome.failed(e.getMessage()));
            }
            return attempt;
        }
        PublicDecryptionRequest request;
        try {
            request = DecryptionRequests.publicDecryption(job.decryptionId(), toKms(resolved), resolved.keyId(), domain,
                    job.extraData());
        } catch (IllegalArgumentException e) {
            attempt.end(Outcome.failed("cannot build the KMS request: " + e.getMessage()));
            return attempt;
        }
        SendOutcome sent = kmsCore.publicDecrypt(job.decryptionId(), request);
        attempt.countFailures(sent.failedAttempts());
        metrics.increment("kms_connector_worker_grpc_request_sent_counter", "event_type", EVENT_TYPE);
        if (sent.failedAttempts() > 0) {
            metrics.increment("kms_connector_worker_grpc_request_sent_errors", "event_type", EVENT_TYPE,
                    sent.failedAttempts());
        }
        switch (sent.kind()) {
            case OK -> attempt.markSent();
            case RECOVERABLE -> attempt.end(Outcome.retry(sent.message()));
            case IRRECOVERABLE -> attempt.end(Outcome.failed(sent.message()));
        }
        return attempt;
    }

    /** GetPublicDecryptionResult, and the response row it becomes. */
    public PublicDecryptionAttempt poll(PublicDecryptionAttempt attempt) {
        if (!attempt.isOpen()) {
            return attempt;
        }
        PublicDecryptionJob job = attempt.getJob();
        PollOutcome<org.kmsconnector.kms.v1.PublicDecryptionResponse> polled =
                kmsCore.getPublicDecryptionResult(job.decryptionId());
        attempt.countFailures(polled.failedAttempts());
        switch (polled.kind()) {
            case OK -> {
                metrics.increment("kms_connector_worker_grpc_response_polled_counter", "event_type", EVENT_TYPE);
                attempt.end(toResponse(polled.value()));
            }
            case RECOVERABLE -> {
                metrics.increment("kms_connector_worker_grpc_response_polled_errors", "event_type", EVENT_TYPE);
                attempt.end(Outcome.retry(polled.message()));
            }
            case ABORTED -> attempt.end(Outcome.aborted(polled.message()));
            case IRRECOVERABLE -> {
                metrics.increment("kms_connector_worker_grpc_response_polled_errors", "event_type", EVENT_TYPE);
                attempt.end(Outcome.failed(polled.message()));
            }
        }
        return attempt;
    }

    private static Outcome toResponse(org.kmsconnector.kms.v1.PublicDecryptionResponse reply) {
        if (!reply.hasPayload()) {
            return Outcome.failed("the KMS Core answered without a payload");
        }
        try {
            byte[] result = DecryptionResults.abiEncodePlaintexts(reply.getPayload().getPlaintextsList());
            return Outcome.done(new PublicDecryptionResponse(result, reply.getExternalSignature().toByteArray(),
                    reply.getExtraData().toByteArray()));
        } catch (IllegalArgumentException e) {
            return Outcome.failed("the KMS Core's plaintexts cannot be encoded: " + e.getMessage());
        }
    }

    private static List<DecryptionRequests.Ciphertext> toKms(ResolvedCiphertexts resolved) {
        List<DecryptionRequests.Ciphertext> out = new ArrayList<>();
        for (ResolvedCiphertexts.Item item : resolved.items()) {
            out.add(new DecryptionRequests.Ciphertext(item.handle().bytes(), item.ciphertext(), item.fheType(),
                    item.formatCode()));
        }
        return out;
    }
}
