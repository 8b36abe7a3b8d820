package org.kmsconnector.chain;

import java.util.Arrays;

/**
 * One digest of a generated key, named three ways (contracts.md §2.4, kms-grpc.md §5.5): by the
 * KMS Core's {@code key_type} string, by the database's {@code key_type} enum (the constant names
 * below), and by KMSGeneration's {@code KeyType} (uint8).
 */
public record KeyDigest(Type type, byte[] digest) {

    public enum Type {
        Server(0, "ServerKey"),
        Public(1, "PublicKey"),
        CompressedKeySet(3, "CompressedXofKeySet");

        private final int onChain;
        private final String kmsName;

        Type(int onChain, String kmsName) {
            this.onChain = onChain;
            this.kmsName = kmsName;
        }

        /** The KMSGeneration KeyType value (uint8). */
        public int onChain() {
            return onChain;
        }

        /** The KMS Core's key_type string. */
        public String kmsName() {
            return kmsName;
        }

        /** @throws IllegalArgumentException for a string the KMS Core does not use for a key type */
        public static Type fromKms(String kmsName) {
            return Arrays.stream(values()).filter(t -> t.kmsName.equals(kmsName)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown key type '" + kmsName + "'"));
        }

        /** @throws IllegalArgumentException for a KeyType value without a key (2 is reserved) */
        public static Type fromOnChain(int value) {
            return Arrays.stream(values()).filter(t -> t.onChain == value).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown KeyType " + value));
        }
    }

    public KeyDigest {
        if (type == null || digest == null) {
            throw new IllegalArgumentException("a key digest has a type and bytes");
        }
    }
}
