package org.kmsconnector.chain;

/**
 * A ciphertext handle (bytes32): byte 21 index, bytes 22..29 host chain id (big-endian u64),
 * byte 30 FHE type, byte 31 version.
 */
public record Handle(byte[] bytes) {
    public Handle {
        if (bytes == null || bytes.length != 32) {
            throw new IllegalArgumentException("a handle is 32 bytes");
        }
    }

    public long hostChainId() {
        long v = 0;
        for (int i = 22; i < 30; i++) {
            v = (v << 8) | (bytes[i] & 0xff);
        }
        return v;
    }

    public int fheType() {
        return bytes[30] & 0xff;
    }

    public String hex() {
        return Hex.encode(bytes);
    }

    @Override
    public String toString() {
        return "0x" + hex();
    }
}
