package org.kmsconnector.worker;

import java.util.List;

/**
 * What goes into a decryption response row and, from there, on chain: the bytes the KMS signed
 * (ABI words of public plaintexts, or the bincode of a user payload), its signature, and the
 * extraData it signed with — in the order of the response table's catalogue columns.
 */
public record DecryptionResponse(byte[] payload, byte[] signature, byte[] extraData) {
    public Outcome outcome() {
        return Outcome.done(List.of(payload, signature, extraData));
    }
}
