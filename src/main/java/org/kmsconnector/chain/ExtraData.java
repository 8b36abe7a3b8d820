package org.kmsconnector.chain;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/**
 * The versioned extraData of requests: empty or 0x00.. = no context; 0x01 ‖ ctx(32);
 * 0x02 ‖ ctx(32) ‖ epoch(32). Trailing bytes are ignored, as upstream does.
 */
public record ExtraData(Optional<BigInteger> contextId, Optional<BigInteger> epochId) {

    public static ExtraData parse(byte[] raw) {
        if (raw == null || raw.length == 0 || raw[0] == 0) {
            return new ExtraData(Optional.empty(), Optional.empty());
        }
        int version = raw[0] & 0xff;
        switch (version) {
            case 1:
                require(raw, 33, version);
                return new ExtraData(Optional.of(word(raw, 1)), Optional.empty());
            case 2:
                require(raw, 65, version);
                return new ExtraData(Optional.of(word(raw, 1)), Optional.of(word(raw, 33)));
            default:
                throw new IllegalArgumentException("Unsupported extra_data version " + version);
        }
    }

    /** What decryption requests forward to the KMS: a lone 0x00 becomes empty (old relayer-sdk). */
    public static byte[] forKmsDecryption(byte[] raw) {
        if (raw == null || (raw.length == 1 && raw[0] == 0)) {
            return new byte[0];
        }
        return raw;
    }

    private static void require(byte[] raw, int min, int version) {
        if (raw.length < min) {
            throw new IllegalArgumentException(
                    "extra_data version " + version + " needs at least " + min + " bytes, got " + raw.length);
        }
    }

    private static BigInteger word(byte[] raw, int from) {
        return new BigInteger(1, Arrays.copyOfRange(raw, from, from + 32));
    }
}
