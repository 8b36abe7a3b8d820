package org.kmsconnector.worker.ciphertext;

import java.math.BigInteger;
import java.util.List;
import org.kmsconnector.chain.Handle;

/**
 * The ciphertexts of one request, in request order, with the key id the coprocessors agreed on
 * (that key id, not the event's, is what the KMS is asked to use).
 */
public record ResolvedCiphertexts(BigInteger keyId, List<Item> items) {
    public ResolvedCiphertexts {
        items = List.copyOf(items);
    }

    /**
     * @param fheType handle byte 30
     * @param formatCode attested format: 10/20 uncompressed, 11/21 compressed
     */
    public record Item(Handle handle, byte[] ciphertext, int fheType, int formatCode) {
        public boolean compressed() {
            return CiphertextFormat.ofCode(formatCode).compressed();
        }
    }
}
