package org.kmsconnector.db;

import java.util.Optional;

/**
 * One kind of operation the three services hand each other through the database: the table the
 * gw-listener fills and the kms-worker claims, the response table (if any) the kms-worker fills and
 * the tx-sender claims, and how its requests are claimed, retried and expired.
 *
 * @param id names the kind in route ids and bean names, e.g. {@code public-decryption}
 * @param label names it in logs, e.g. "Public decryption"
 * @param eventType the {@code event_type} metrics label of its requests
 * @param requests the request table
 * @param responses the response table and its {@code response_type} label; empty for kinds that
 *     complete on the KMS Core's acknowledgement (aborts, destructions)
 * @param expires failed by the recovery job once older than {@code decryption_expiry}
 * @param countsAttempts has an {@code error_counter} and fails at {@code max_decryption_attempts};
 *     the other kinds are retried until an operator intervenes
 * @param claimBatchOption the option giving the rows per claim, or null for one row per claim
 * @param fallbackPollOption the option giving the claim's polling interval when no NOTIFY comes
 */
public record OperationKind(String id, String label, String eventType, OperationTable requests,
        Optional<Responses> responses, boolean expires, boolean countsAttempts, String claimBatchOption,
        String fallbackPollOption) {

    /** A response table and the {@code response_type} label of its rows. */
    public record Responses(OperationTable table, String responseType) {}

    public String responseLabel() {
        return label + " response";
    }

    public OperationTable responseTable() {
        return responses.orElseThrow(() -> new IllegalStateException(label + " has no response table")).table();
    }

    public String responseType() {
        return responses.orElseThrow(() -> new IllegalStateException(label + " has no response table"))
                .responseType();
    }
}
