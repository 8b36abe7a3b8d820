package org.kmsconnector.worker.auth;

import java.util.Optional;

/**
 * The KMS context (and epoch) a request's extraData pins, checked against the local cache
 * (kms_context, kms_epoch) and, when not cached, against ProtocolConfig on Ethereum. extraData
 * without a context (empty or version 0) passes.
 */
public interface ContextCheck {
    /** @return empty when the request may go on */
    Optional<Refusal> check(byte[] extraData);
}
