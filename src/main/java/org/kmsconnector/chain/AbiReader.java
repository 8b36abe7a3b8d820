package org.kmsconnector.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one ABI-encoded tuple (event data, a nested dynamic tuple, an element of a static tuple
 * array) by head slot. Written by hand because web3j's struct decoding of nested tuples is not
 * dependable (stack.md); every offset and length is checked against the data, and an address
 * word must have its 12 high bytes zero, so malformed input ends in IllegalArgumentException
 * instead of a wrong value.
 */
public final class AbiReader {
    private static final int WORD = 32;

    private final byte[] data;
    private final int base;

    private AbiReader(byte[] data, int base) {
        this.data = data;
        this.base = base;
    }

    public static AbiReader of(byte[] data) {
        return new AbiReader(data, 0);
    }

    public static AbiReader ofHex(String hex) {
        return of(Hex.decode(hex == null ? "" : hex));
    }

    public BigInteger uint(int slot) {
        return new BigInteger(1, word(headAt(slot)));
    }

    /** A uint256 that must fit a signed 64-bit integer (DB bigint columns). */
    public long int64(int slot, String what) {
        BigInteger v = uint(slot);
        if (v.bitLength() > 63) {
            throw new IllegalArgumentException(what + " " + v + " does not fit a signed 64-bit integer");
        }
        return v.longValue();
    }

    /** An int32, sign-extended to a word. */
    public int int32(int slot) {
        BigInteger v = new BigInteger(word(headAt(slot)));
        if (v.bitLength() > 31) {
            throw new IllegalArgumentException("slot " + slot + " is not an int32: " + v);
        }
        return v.intValue();
    }

    /** A {@code string} whose offset is in {@code slot}, as UTF-8. */
    public String string(int slot) {
        return new String(bytes(slot), java.nio.charset.StandardCharsets.UTF_8);
    }

    public byte[] bytes32(int slot) {
        return word(headAt(slot));
    }

    /** 20 bytes. */
    public byte[] address(int slot) {
        return address(word(headAt(slot)));
    }

    /** {@code bytes} whose offset is in {@code slot}. */
    public byte[] bytes(int slot) {
        int at = tailAt(slot);
        int length = length(at);
        return slice(at + WORD, length);
    }

    public List<byte[]> bytes32Array(int slot) {
        List<byte[]> out = new ArrayList<>();
        for (AbiReader element : staticTupleArray(slot, 1)) {
            out.add(element.bytes32(0));
        }
        return out;
    }

    public List<byte[]> addressArray(int slot) {
        List<byte[]> out = new ArrayList<>();
        for (AbiReader element : staticTupleArray(slot, 1)) {
            out.add(element.address(0));
        }
        return out;
    }

    /** The elements of an array of static tuples of {@code words} words each, encoded inline. */
    public List<AbiReader> staticTupleArray(int slot, int words) {
        int at = tailAt(slot);
        int count = length(at);
        long size = (long) count * words * WORD;
        if (at + WORD + size > data.length) {
            throw new IllegalArgumentException("array of " + count + " elements at byte " + at + " overruns the data ("
                    + data.length + " bytes)");
        }
        List<AbiReader> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new AbiReader(data, at + WORD + i * words * WORD));
        }
        return out;
    }

    /**
     * The elements of an array of dynamic tuples (KeyDigest[], KmsNodeParams[]): after the count,
     * one offset per element, relative to the start of those offsets.
     */
    public List<AbiReader> dynamicTupleArray(int slot) {
        int at = tailAt(slot);
        int count = length(at);
        AbiReader offsets = new AbiReader(data, at + WORD);
        List<AbiReader> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new AbiReader(data, offsets.tailAt(i)));
        }
        return out;
    }

    /** A dynamic tuple whose offset is in {@code slot}; its own offsets are relative to its start. */
    public AbiReader tuple(int slot) {
        return new AbiReader(data, tailAt(slot));
    }

    private int headAt(int slot) {
        long at = (long) base + (long) slot * WORD;
        if (slot < 0 || at + WORD > data.length) {
            throw new IllegalArgumentException("head slot " + slot + " is past the end of the data ("
                    + data.length + " bytes)");
        }
        return (int) at;
    }

    private int tailAt(int slot) {
        BigInteger offset = uint(slot);
        if (offset.bitLength() > 31 || base + offset.longValue() + WORD > data.length) {
            throw new IllegalArgumentException("offset " + offset + " in slot " + slot + " is past the end of the data ("
                    + data.length + " bytes)");
        }
        return base + offset.intValue();
    }

    private int length(int at) {
        BigInteger length = new BigInteger(1, word(at));
        if (length.bitLength() > 31) {
            throw new IllegalArgumentException("length " + length + " at byte " + at + " is impossible");
        }
        return length.intValue();
    }

    private byte[] slice(int from, int length) {
        if ((long) from + length > data.length) {
            throw new IllegalArgumentException(length + " bytes at byte " + from + " overrun the data ("
                    + data.length + " bytes)");
        }
        return Arrays.copyOfRange(data, from, from + length);
    }

    private byte[] word(int at) {
        return slice(at, WORD);
    }

    private static byte[] address(byte[] word) {
        for (int i = 0; i < 12; i++) {
            if (word[i] != 0) {
                throw new IllegalArgumentException("not an address word: 0x" + Hex.encode(word));
            }
        }
        return Arrays.copyOfRange(word, 12, WORD);
    }
}
