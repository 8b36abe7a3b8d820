package org.kmsconnector.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * Turns a raw value (a TOML value, or the string of an environment variable) into the typed
 * value of its option. Errors describe the problem without repeating secret values.
 */
final class ValueParser {
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern HEX_KEY = Pattern.compile("(0x)?[0-9a-fA-F]{64}");
    private static final BigInteger SECP256K1_N =
            new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    private ValueParser() {}

    static Object parse(OptionSpec spec, Object raw) {
        return switch (spec.form()) {
            case TEXT -> text(raw);
            case URL -> url(text(raw));
            case INTEGER -> integer(spec, raw);
            case BOOLEAN -> bool(raw);
            case DURATION -> Durations.parse(text(raw));
            case ADDRESS -> address(text(raw));
            case SOCKET_ADDRESS -> socketAddress(text(raw));
            case DATABASE_URL -> databaseUrl(text(raw));
            case PRIVATE_KEY -> privateKey(raw);
            case URL_LIST -> urlList(raw);
            case HOST_CHAINS -> hostChains(raw);
        };
    }

    private static String text(Object raw) {
        if (raw instanceof String s) {
            return s;
        }
        if (raw instanceof TomlArray || raw instanceof TomlTable) {
            throw new IllegalArgumentException("got a list or table");
        }
        return String.valueOf(raw);
    }

    static String url(String s) {
        try {
            URI uri = URI.create(s.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("'" + s + "' has no scheme or host");
            }
            return s.trim();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + s + "' is not a URL");
        }
    }

    private static long integer(OptionSpec spec, Object raw) {
        long value;
        if (raw instanceof Long l) {
            value = l;
        } else if (raw instanceof String s) {
            try {
                value = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not an integer");
            }
        } else {
            throw new IllegalArgumentException("got " + describe(raw));
        }
        if (value < spec.min() || value > spec.max()) {
            throw new IllegalArgumentException(value + " is out of range [" + spec.min() + ", " + spec.max() + "]");
        }
        return value;
    }

    private static boolean bool(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        String s = text(raw).trim();
        if (s.equalsIgnoreCase("true") || s.equals("1")) {
            return true;
        }
        if (s.equalsIgnoreCase("false") || s.equals("0")) {
            return false;
        }
        throw new IllegalArgumentException("'" + s + "' is not a boolean");
    }

    static String address(String s) {
        String trimmed = s.trim();
        if (!ADDRESS.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("'" + s + "' is not an address");
        }
        return trimmed;
    }

    private static String socketAddress(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + s + "' has no host:port");
        }
        try {
            int port = Integer.parseInt(s.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' has no valid port");
        }
        return s;
    }

    private static String databaseUrl(String s) {
        try {
            DatabaseUrl.parse(s);
            return s.trim();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + DatabaseUrl.masked(s) + "': " + e.getMessage());
        }
    }

    private static String privateKey(Object raw) {
        String s = raw instanceof String str ? str.trim() : "";
        if (!HEX_KEY.matcher(s).matches()) {
            throw new IllegalArgumentException("the value (not shown) is not 64 hex digits");
        }
        BigInteger k = new BigInteger(s.startsWith("0x") ? s.substring(2) : s, 16);
        if (k.signum() == 0 || k.compareTo(SECP256K1_N) >= 0) {
            throw new IllegalArgumentException("the value (not shown) is not a valid secp256k1 key");
        }
        return s.startsWith("0x") ? s : "0x" + s;
    }

    private static List<String> urlList(Object raw) {
        List<String> out = new ArrayList<>();
        if (raw instanceof TomlArray array) {
            for (int i = 0; i < array.size(); i++) {
                out.add(url(text(array.get(i))));
            }
        } else {
            for (String part : text(raw).split(",")) {
                if (!part.isBlank()) {
                    out.add(url(part.trim()));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the list is empty");
        }
        return List.copyOf(out);
    }

    private static List<HostChainConfig> hostChains(Object raw) {
        List<HostChainConfig> out = new ArrayList<>();
        if (raw instanceof TomlArray array) {
            for (int i = 0; i < array.size(); i++) {
                if (!(array.get(i) instanceof TomlTable t)) {
                    throw new IllegalArgumentException("entry " + i + " is not a table");
                }
                out.add(hostChain(i, t.toMap()));
            }
        } else {
            JsonNode json;
            try {
                json = new ObjectMapper().readTree(text(raw));
            } catch (Exception e) {
                throw new IllegalArgumentException("not a JSON array");
            }
            if (json == null || !json.isArray()) {
                throw new IllegalArgumentException("not a JSON array");
            }
            for (int i = 0; i < json.size(); i++) {
                JsonNode n = json.get(i);
                Map<String, Object> fields = new java.util.HashMap<>();
                n.fields().forEachRemaining(f -> fields.put(f.getKey(),
                        f.getValue().isNumber() ? (Object) f.getValue().asLong() : f.getValue().asText()));
                out.add(hostChain(i, fields));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the list is empty");
        }
        Set<Long> seen = new HashSet<>();
        for (HostChainConfig c : out) {
            if (!seen.add(c.chainId())) {
                throw new IllegalArgumentException("chain_id " + c.chainId() + " appears twice");
            }
        }
        return List.copyOf(out);
    }

    private static HostChainConfig hostChain(int index, Map<String, Object> fields) {
        Object url = fields.get("url");
        Object chainId = fields.containsKey("chain_id") ? fields.get("chain_id") : fields.get("chainId");
        Object acl = fields.containsKey("acl_address") ? fields.get("acl_address") : fields.get("aclAddress");
        if (url == null || chainId == null || acl == null) {
            throw new IllegalArgumentException("entry " + index + " needs url, chain_id and acl_address");
        }
        long id;
        try {
            id = chainId instanceof Long l ? l : Long.parseLong(String.valueOf(chainId));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("entry " + index + ": chain_id is not an integer");
        }
        try {
            return new HostChainConfig(url(String.valueOf(url)), id, address(String.valueOf(acl)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("entry " + index + ": " + e.getMessage());
        }
    }

    private static String describe(Object raw) {
        if (raw instanceof TomlArray) {
            return "a list";
        }
        if (raw instanceof TomlTable) {
            return "a table";
        }
        return "'" + raw + "'";
    }
}
