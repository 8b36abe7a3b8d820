package org.kmsconnector.worker.ciphertext;

import java.util.Locale;

/**
 * The ciphertext formats a coprocessor attests (RFC-023). The code is the byte that goes into
 * the canonical attestation message; the KMS only cares whether the body is compressed.
 */
public enum CiphertextFormat {
    UNCOMPRESSED_ON_CPU(10),
    COMPRESSED_ON_CPU(11),
    UNCOMPRESSED_ON_GPU(20),
    COMPRESSED_ON_GPU(21);

    private final int code;

    CiphertextFormat(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The snake_case name used in the attestation JSON. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Compressed formats become the KMS's BigCompressed, the others BigExpanded. */
    public boolean compressed() {
        return this == COMPRESSED_ON_CPU || this == COMPRESSED_ON_GPU;
    }

    public static CiphertextFormat ofCode(int code) {
        for (CiphertextFormat f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown ciphertext format code " + code);
    }

    public static CiphertextFormat ofJsonName(String name) {
        for (CiphertextFormat f : values()) {
            if (f.jsonName().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown ciphertext format " + name);
    }
}
