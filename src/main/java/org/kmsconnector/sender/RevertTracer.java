package org.kmsconnector.sender;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.kmsconnector.chain.Hex;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchResponse;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;

/**
 * Why a mined transaction reverted, from {@code debug_traceTransaction} with the call tracer: the
 * top frame's revertReason, else the first sub-call's error, plus the top frame's own error
 * (e.g. "out of gas") and its custom error, when the output is one of ours.
 */
final class RevertTracer {
    static final String DISABLED = "reverted transaction tracing is disabled";

    private final Web3j web3j;
    private final boolean enabled;

    RevertTracer(Web3j web3j, boolean enabled) {
        this.web3j = web3j;
        this.enabled = enabled;
    }

    /** Never fails: a trace that cannot be had is itself the reason given. */
    String reason(String txHash) {
        if (!enabled) {
            return DISABLED;
        }
        try {
            return describe(trace(txHash));
        } catch (IOException | RuntimeException e) {
            return "no revert reason (debug_traceTransaction failed: " + e.getMessage() + ")";
        }
    }

    private JsonNode trace(String txHash) throws IOException {
        // web3j has no typed debug_trace call; a one-element batch sends any method through the
        // client's own transport (and timeouts) without reaching into its internals
        Request<Object, CallTrace> request = new Request<>("debug_traceTransaction",
                List.of(txHash, Map.of("tracer", "callTracer")), null, CallTrace.class);
        BatchResponse batch = web3j.newBatch().add(request).send();
        if (batch.getResponses().isEmpty()) {
            throw new IOException("empty batch answer");
        }
        Response<?> answer = batch.getResponses().get(0);
        if (answer.hasError()) {
            throw new IOException(answer.getError().getMessage());
        }
        if (!(answer.getResult() instanceof JsonNode node)) {
            throw new IOException("unexpected trace result");
        }
        return node;
    }

    static String describe(JsonNode top) {
        String reason = text(top, "revertReason");
        if (reason == null) {
            for (JsonNode call : top.path("calls")) {
                reason = text(call, "error");
                if (reason != null) {
                    reason = "sub-call: " + reason;
                    break;
                }
            }
        }
        StringBuilder out = new StringBuilder();
        String error = text(top, "error");
        if (error != null) {
            out.append(error);
        }
        if (reason != null) {
            out.append(out.length() > 0 ? ": " : "").append(reason);
        }
        String output = text(top, "output");
        if (output != null && output.length() >= 10) {
            try {
                byte[] data = Hex.decode(output);
                out.append(out.length() > 0 ? " " : "").append('[').append(RevertClassifier.describe(data)).append(']');
            } catch (IllegalArgumentException ignored) {
                // not hex: nothing more to say
            }
        }
        return out.length() == 0 ? "no revert reason in the trace" : out.toString();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    /** The raw callTracer frame. */
    public static final class CallTrace extends Response<JsonNode> {}
}
