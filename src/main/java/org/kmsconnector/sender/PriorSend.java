package org.kmsconnector.sender;

import java.math.BigInteger;
import java.util.List;

/**
 * What an earlier pick of a response broadcast, or was about to: one nonce and every transaction
 * signed under it (replacements keep the nonce, so at most one of them can be mined).
 */
public record PriorSend(BigInteger nonce, List<String> hashes) {
    public static final PriorSend NONE = new PriorSend(null, List.of());

    public PriorSend {
        hashes = List.copyOf(hashes);
    }

    public boolean isEmpty() {
        return nonce == null || hashes.isEmpty();
    }

    public String lastHash() {
        return hashes.isEmpty() ? null : hashes.get(hashes.size() - 1);
    }
}
