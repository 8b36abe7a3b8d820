package org.kmsconnector.devnet;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.kmsconnector.db.Operations;

/**
 * The demo's second stage: the protocol moves to a new KMS context, as ProtocolConfig's owner
 * defines one on Ethereum. The connector tells the KMS Core about the previous and the new
 * context and confirms the creation; the epoch that opens reshares the key and CRS of the first
 * stage and is activated once the connector confirms it.
 */
final class ContextStage {
    /** What the stage measured; the epoch is null when none opened. */
    record Result(BigInteger contextId, BigInteger epochId, Duration context, Duration epoch, boolean activated) {}

    private final LocalPipeline pipeline;
    private final ProtocolConfigCalls protocol;
    private final Consumer<String> say;

    ContextStage(LocalPipeline pipeline, Consumer<String> say) {
        this.pipeline = pipeline;
        this.protocol = pipeline.protocolConfig();
        this.say = say;
    }

    Result run(Duration timeout) throws Exception {
        say.accept("Moving to a new KMS context and epoch (ProtocolConfig " + protocol.address() + ")");
        Instant start = Instant.now();
        BigInteger context = protocol.defineNewContext(ProtocolConfigCalls.oneNodeContext("v0.16.0"));
        say.accept(String.format("  defined context 0x%s after context 0x%s", context.toString(16),
                pipeline.ethereum().contextId().toString(16)));
        Instant deadline = start.plus(timeout);
        Instant lastReport = start;
        Instant confirmed = null;
        Instant activated = null;
        BigInteger epoch = null;
        while (Instant.now().isBefore(deadline) && activated == null) {
            if (confirmed == null && protocol.contextConfirmations(context) > 0) {
                confirmed = Instant.now();
            }
            if (epoch == null) {
                Optional<BigInteger> opened = protocol.epochOf(context);
                epoch = opened.orElse(null);
            }
            if (epoch != null && protocol.activation(epoch).isPresent()) {
                activated = Instant.now();
            }
            if (Duration.between(lastReport, Instant.now()).toMillis() >= 1000) {
                lastReport = Instant.now();
                say.accept(String.format("  context %-13s | confirmed %-3s | epoch %-13s | activated %s",
                        pipeline.rowStatus(Operations.NEW_KMS_CONTEXT.requests(), context), confirmed != null ? "yes" : "no",
                        epoch == null ? "not open" : pipeline.rowStatus(Operations.NEW_KMS_EPOCH.requests(), epoch),
                        activated != null ? "yes" : "no"));
            }
            Thread.sleep(200);
        }
        Result r = new Result(context, epoch, KeyGenerationStage.between(start, confirmed),
                KeyGenerationStage.between(confirmed, activated),
                activated != null);
        if (r.activated()) {
            say.accept(String.format("  context 0x%s confirmed after %.1f s; epoch 0x%s reshared and activated after"
                    + " %.1f s more", context.toString(16), r.context().toMillis() / 1000.0, epoch.toString(16),
                    r.epoch().toMillis() / 1000.0));
        } else {
            say.accept("  the new context and epoch were not active within " + timeout.toSeconds() + " s");
        }
        return r;
    }
}
