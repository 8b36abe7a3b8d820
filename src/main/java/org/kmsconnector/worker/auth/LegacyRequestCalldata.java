package org.kmsconnector.worker.auth;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.kmsconnector.chain.Hex;

/**
 * What the legacy user decryption check reads from the request transaction's calldata
 * (contracts.md §4.3): the handle → contract pairs and, when delegated, the delegator. Decoded by
 * hand with bounds checks on every offset and length, so hostile calldata can only fail to
 * decode; the other arguments are checked for shape and otherwise ignored.
 */
record LegacyRequestCalldata(Map<String, String> contractByHandle, Optional<String> delegator) {
    /** delegatedUserDecryptionRequest((bytes32,address)[],(uint256,uint256),(address,address),(uint256,address[]),bytes,bytes,bytes) */
    static final byte[] DELEGATED_SELECTOR = Hex.decode("9fad5a2f");
    /** userDecryptionRequest((bytes32,address)[],(uint256,uint256),(uint256,address[]),address,bytes,bytes,bytes) */
    static final byte[] DIRECT_SELECTOR = Hex.decode("f1b57adb");

    /** The contract paired with {@code handle} (32 bytes), if the calldata lists it. */
    Optional<String> contractOf(byte[] handle) {
        return Optional.ofNullable(contractByHandle.get(Hex.encode(handle)));
    }

    boolean delegated() {
        return delegator.isPresent();
    }

    /** The delegated form first, then the direct one; empty when the calldata is neither. */
    static Optional<LegacyRequestCalldata> decode(byte[] input) {
        Optional<LegacyRequestCalldata> delegated = decodeDelegated(input);
        return delegated.isPresent() ? delegated : decodeDirect(input);
    }

    private static Optional<LegacyRequestCalldata> decodeDelegated(byte[] input) {
        if (!hasSelector(input, DELEGATED_SELECTOR)) {
            return Optional.empty();
        }
        try {
            Args a = new Args(input);
            Map<String, String> pairs = pairs(a, a.offset(0));
            a.word(1); // requestValidity, inline
            a.word(2);
            String delegator = a.address(3); // delegationAccounts, inline
            a.address(4);
            contractsInfo(a, a.offset(5));
            for (int i = 6; i <= 8; i++) { // publicKey, signature, extraData
                a.bytes(a.offset(i));
            }
            return Optional.of(new LegacyRequestCalldata(pairs, Optional.of(delegator)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<LegacyRequestCalldata> decodeDirect(byte[] input) {
        if (!hasSelector(input, DIRECT_SELECTOR)) {
            return Optional.empty();
        }
        try {
            Args a = new Args(input);
            Map<String, String> pairs = pairs(a, a.offset(0));
            a.word(1);
            a.word(2);
            contractsInfo(a, a.offset(3));
            a.address(4); // userAddress
            for (int i = 5; i <= 7; i++) {
                a.bytes(a.offset(i));
            }
            return Optional.of(new LegacyRequestCalldata(pairs, Optional.empty()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** CtHandleContractPair[] at byte {@code at}: a length, then (bytes32, address) inline. */
    private static Map<String, String> pairs(Args a, int at) {
        int n = a.length(at, 64);
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            int element = at + 32 + i * 64;
            out.put(Hex.encode(a.wordAt(element)), a.addressAt(element + 32));
        }
        return out;
    }

    /** ContractsInfo(uint256 chainId, address[] addresses) at byte {@code at}; offsets inside are relative to it. */
    private static void contractsInfo(Args a, int at) {
        a.wordAt(at);
        int array = a.relativeOffset(at, at + 32);
        int n = a.length(array, 32);
        for (int i = 0; i < n; i++) {
            a.addressAt(array + 32 + i * 32);
        }
    }

    private static boolean hasSelector(byte[] input, byte[] selector) {
        return input != null && input.length >= 4 && Arrays.equals(Arrays.copyOf(input, 4), selector);
    }

    /** The ABI-encoded arguments after the selector, read defensively. */
    private static final class Args {
        private final byte[] data;

        Args(byte[] input) {
            this.data = Arrays.copyOfRange(input, 4, input.length);
        }

        byte[] word(int headIndex) {
            return wordAt(headIndex * 32);
        }

        byte[] wordAt(int at) {
            if (at < 0 || (long) at + 32 > data.length) {
                throw new IllegalArgumentException("calldata too short for a word at " + at);
            }
            return Arrays.copyOfRange(data, at, at + 32);
        }

        String address(int headIndex) {
            return addressAt(headIndex * 32);
        }

        String addressAt(int at) {
            byte[] w = wordAt(at);
            for (int i = 0; i < 12; i++) {
                if (w[i] != 0) {
                    throw new IllegalArgumentException("not an address at " + at);
                }
            }
            return Hex.prefixed(Arrays.copyOfRange(w, 12, 32));
        }

        /** The offset stored in head slot {@code headIndex}, from the start of the arguments. */
        int offset(int headIndex) {
            return relativeOffset(0, headIndex * 32);
        }

        int relativeOffset(int base, int at) {
            BigInteger v = new BigInteger(1, wordAt(at));
            if (v.bitLength() > 31 || (long) base + v.intValueExact() + 32 > data.length) {
                throw new IllegalArgumentException("offset out of the calldata at " + at);
            }
            return base + v.intValueExact();
        }

        /** A length word at {@code at} whose elements of {@code elementSize} bytes must all fit. */
        int length(int at, int elementSize) {
            BigInteger n = new BigInteger(1, wordAt(at));
            if (n.bitLength() > 31 || (long) at + 32 + n.longValueExact() * elementSize > data.length) {
                throw new IllegalArgumentException("array or bytes longer than the calldata at " + at);
            }
            return n.intValueExact();
        }

        void bytes(int at) {
            length(at, 1);
        }
    }
}
