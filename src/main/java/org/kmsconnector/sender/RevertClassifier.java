package org.kmsconnector.sender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kmsconnector.chain.Hex;

/**
 * Tells a refusal from a hiccup. An RPC error whose revert data starts with a custom error of the
 * connector's contracts ({@link ContractErrors}) is irrecoverable: the contract will refuse the
 * same response again. Anything else ({@code Error(string)}, {@code Panic}, unknown data, no data)
 * is recoverable. Nodes put revert data in different places (a hex string in error.data, a JSON
 * object with a nested "data", "Reverted 0x…", or only the message), so all of them are searched.
 */
public final class RevertClassifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEX_DATA = Pattern.compile("0x([0-9a-fA-F]{8,})");
    private static final Pattern HEX_ONLY = Pattern.compile("^(?:Reverted )?0x([0-9a-fA-F]*)$");
    private static final String ERROR_STRING = "0x08c379a0";
    private static final String PANIC = "0x4e487b71";

    private RevertClassifier() {}

    /** How an RPC error should be handled, and a log-friendly account of it. */
    public record Verdict(boolean irrecoverable, String description) {}

    /**
     * @param message the JSON-RPC error message
     * @param data the JSON-RPC error data as web3j keeps it (JSON text), may be null
     */
    public static Verdict classify(String message, String data) {
        Optional<byte[]> revert = revertData(message, data);
        String msg = message == null ? "" : message;
        if (revert.isEmpty()) {
            return new Verdict(false, msg);
        }
        byte[] bytes = revert.get();
        Optional<String> custom = customError(bytes);
        String described = describe(bytes);
        return new Verdict(custom.isPresent(), msg.isEmpty() ? described : msg + " [" + described + "]");
    }

    /** The signature of the custom error the revert data starts with, if it is one of ours. */
    public static Optional<String> customError(byte[] revertData) {
        return revertData.length < 4 ? Optional.empty() : ContractErrors.signature(selector(revertData));
    }

    /** e.g. {@code DecryptionNotRequested(uint256)(452…)}, {@code Error("…")}, {@code Panic(0x11)}. */
    public static String describe(byte[] revertData) {
        if (revertData.length < 4) {
            return revertData.length == 0 ? "empty revert data" : "revert data " + Hex.prefixed(revertData);
        }
        String selector = selector(revertData);
        byte[] args = Arrays.copyOfRange(revertData, 4, revertData.length);
        if (ERROR_STRING.equals(selector)) {
            return "Error(\"" + decodeString(args).orElse("?") + "\")";
        }
        if (PANIC.equals(selector) && args.length >= 32) {
            return "Panic(0x" + new BigInteger(1, Arrays.copyOf(args, 32)).toString(16) + ")";
        }
        Optional<String> custom = ContractErrors.signature(selector);
        if (custom.isEmpty()) {
            return "unknown error " + selector + (args.length > 0 ? " with " + args.length + " bytes of arguments" : "");
        }
        return custom.get() + decodeStaticArgs(custom.get(), args).map(a -> "(" + a + ")").orElse("");
    }

    /** The revert bytes, searched in error.data first, then in a message that talks about a revert. */
    static Optional<byte[]> revertData(String message, String data) {
        if (data != null && !data.isBlank()) {
            Optional<byte[]> fromData = fromDataField(data.trim());
            if (fromData.isPresent()) {
                return fromData;
            }
        }
        if (message != null && message.toLowerCase().contains("revert")) {
            return firstHex(message);
        }
        return Optional.empty();
    }

    private static Optional<byte[]> fromDataField(String data) {
        JsonNode node;
        try {
            node = JSON.readTree(data);
        } catch (Exception notJson) {
            return hexValue(data).or(() -> firstHex(data));
        }
        if (node == null) {
            return firstHex(data);
        }
        if (node.isTextual()) {
            return hexValue(node.asText()).or(() -> firstHex(node.asText()));
        }
        // nested forms: {"data":"0x…"}, {"message":…, "data":{"data":"0x…"}}, …
        for (JsonNode candidate : node.findValues("data")) {
            Optional<byte[]> found = candidate.isTextual() ? hexValue(candidate.asText()) : Optional.empty();
            if (found.isPresent()) {
                return found;
            }
        }
        return firstHex(data);
    }

    private static Optional<byte[]> hexValue(String s) {
        Matcher m = HEX_ONLY.matcher(s.trim());
        if (m.matches() && m.group(1).length() % 2 == 0) {
            return Optional.of(Hex.decode(m.group(1)));
        }
        return Optional.empty();
    }

    private static Optional<byte[]> firstHex(String s) {
        Matcher m = HEX_DATA.matcher(s);
        if (!m.find()) {
            return Optional.empty();
        }
        String hex = m.group(1);
        // an odd run is not byte data; the selector alone still classifies
        return Optional.of(Hex.decode(hex.length() % 2 == 0 ? hex : hex.substring(0, 8)));
    }

    private static String selector(byte[] revertData) {
        return Hex.prefixed(Arrays.copyOf(revertData, 4));
    }

    private static Optional<String> decodeString(byte[] args) {
        try {
            int offset = new BigInteger(1, Arrays.copyOfRange(args, 0, 32)).intValueExact();
            int length = new BigInteger(1, Arrays.copyOfRange(args, offset, offset + 32)).intValueExact();
            return Optional.of(new String(args, offset + 32, length, StandardCharsets.UTF_8));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    /** Arguments of errors whose parameters are all one-word static types; others stay undecoded. */
    static Optional<String> decodeStaticArgs(String signature, byte[] args) {
        String params = signature.substring(signature.indexOf('(') + 1, signature.length() - 1);
        if (params.isEmpty() || params.contains("(") || params.contains("[")) {
            return Optional.empty();
        }
        String[] types = params.split(",");
        if (args.length < 32 * types.length) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            byte[] word = Arrays.copyOfRange(args, 32 * i, 32 * (i + 1));
            String type = types[i];
            if (type.equals("address")) {
                out.add(Hex.prefixed(Arrays.copyOfRange(word, 12, 32)));
            } else if (type.startsWith("uint")) {
                out.add(new BigInteger(1, word).toString());
            } else if (type.startsWith("int")) {
                out.add(new BigInteger(word).toString());
            } else if (type.equals("bool")) {
                out.add(word[31] != 0 ? "true" : "false");
            } else if (type.startsWith("bytes") && !type.equals("bytes")) {
                out.add(Hex.prefixed(word));
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(String.join(", ", out));
    }
}
