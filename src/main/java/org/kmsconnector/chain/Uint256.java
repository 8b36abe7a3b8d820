package org.kmsconnector.chain;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The uint256 ids of the protocol and their three encodings: 32-byte big-endian (on chain),
 * 32-byte little-endian (the upstream DB layout, kept for row compatibility) and the 64-char
 * lower-case hex string the KMS Core takes as RequestId.
 */
public final class Uint256 {
    public static final BigInteger MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    private Uint256() {}

    public static byte[] toBigEndian(BigInteger value) {
        if (value.signum() < 0 || value.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("not a uint256: " + value);
        }
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    public static BigInteger fromBigEndian(byte[] bytes) {
        if (bytes.length > 32) {
            throw new IllegalArgumentException("more than 32 bytes: " + bytes.length);
        }
        return new BigInteger(1, bytes);
    }

    public static byte[] toLittleEndian(BigInteger value) {
        return reverse(toBigEndian(value));
    }

    public static BigInteger fromLittleEndian(byte[] bytes) {
        if (bytes.length != 32) {
            throw new IllegalArgumentException("a little-endian uint256 must be 32 bytes, got " + bytes.length);
        }
        return new BigInteger(1, reverse(bytes));
    }

    /** RequestId form: 64 lower-case hex characters of the big-endian value, no 0x. */
    public static String toRequestId(BigInteger value) {
        return Hex.encode(toBigEndian(value));
    }

    public static BigInteger fromRequestId(String requestId) {
        byte[] bytes = Hex.decode(requestId);
        if (bytes.length > 32) {
            throw new IllegalArgumentException("request id longer than 32 bytes: " + requestId);
        }
        return new BigInteger(1, bytes);
    }

    static byte[] reverse(byte[] in) {
        byte[] out = Arrays.copyOf(in, in.length);
        for (int i = 0, j = out.length - 1; i < j; i++, j--) {
            byte t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }
}
