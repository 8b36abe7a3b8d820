package org.kmsconnector.worker;

import java.math.BigInteger;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kmsconnector.worker.auth.Refusal;
import org.kmsconnector.worker.kms.DecryptionRequests;
import org.kmsconnector.worker.kms.PollOutcome;
import org.kmsconnector.worker.kms.SendOutcome;

/**
 * What differs between public and user decryption inside the shared steps of
 * {@link DecryptionProcessor}: reading the row, the authorisation, the KMS Core call pair and
 * how its reply becomes a response.
 *
 * @param <J> the claimed row
 * @param <R> the KMS Core's reply
 */
public interface DecryptionFlow<J extends DecryptionJob, R> {
    DecryptionKind kind();

    J parse(Map<String, Object> row) throws SQLException;

    /** A stand-in for a row that cannot be parsed, holding what is needed to mark it failed. */
    J unreadable(Map<String, Object> row);

    /** The kind's own authorisation, run on every attempt after the context check. */
    Optional<Refusal> authorize(J job);

    /** Builds the request from the fetched ciphertexts and sends it; IllegalArgumentException when it cannot be built. */
    SendOutcome send(J job, List<DecryptionRequests.Ciphertext> ciphertexts, BigInteger keyId);

    PollOutcome<R> poll(BigInteger decryptionId);

    /** The reply as a response to store, or a failure when it cannot be one. */
    Outcome toResponse(R reply);
}
