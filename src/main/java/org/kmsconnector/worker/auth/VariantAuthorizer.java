package org.kmsconnector.worker.auth;

import java.util.Optional;
import org.kmsconnector.worker.job.UserDecryptionJob;

/** Sends each user decryption to the check of its kind: unified (it has a signature) or legacy. */
final class VariantAuthorizer implements UserDecryptionAuthorizer {
    private final UserDecryptionAuthorizer legacy;
    private final UserDecryptionAuthorizer unified;

    VariantAuthorizer(UserDecryptionAuthorizer legacy, UserDecryptionAuthorizer unified) {
        this.legacy = legacy;
        this.unified = unified;
    }

    @Override
    public Optional<Refusal> check(UserDecryptionJob job) {
        return job.unified().isPresent() ? unified.check(job) : legacy.check(job);
    }
}
