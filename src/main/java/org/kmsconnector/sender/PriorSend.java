package org.kmsconnector.sender;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.kmsconnector.db.ClaimedRow;

/**
 * What an earlier pick of a response broadcast, or was about to: one nonce and every transaction
 * signed under it (replacements keep the nonce, so at most one of them can be mined).
 */
public record PriorSend(BigInteger nonce, List<String> hashes) {
    public static final PriorSend NONE = new PriorSend(null, List.of());

    public PriorSend {
        hashes = List.copyOf(hashes);
    }

    /** What a response claim returned of the journal: tx_nonce, and tx_hashes as comma-separated hex. */
    static PriorSend from(ClaimedRow row) {
        Optional<Long> nonce = row.optionalInt64("tx_nonce");
        Optional<String> hashes = row.optionalText("tx_hashes");
        if (nonce.isEmpty() || hashes.isEmpty() || hashes.get().isBlank()) {
            return NONE;
        }
        return new PriorSend(BigInteger.valueOf(nonce.get()),
                Arrays.stream(hashes.get().split(",")).map(h -> "0x" + h.trim()).toList());
    }

    public boolean isEmpty() {
        return nonce == null || hashes.isEmpty();
    }

    public String lastHash() {
        return hashes.isEmpty() ? null : hashes.get(hashes.size() - 1);
    }
}
