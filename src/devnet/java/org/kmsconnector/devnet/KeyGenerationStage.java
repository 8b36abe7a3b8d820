package org.kmsconnector.devnet;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.kmsconnector.db.Operations;

/**
 * The demo's first stage: a key and a CRS generated through the pipeline, as the owner of
 * KMSGeneration asks for them on Ethereum, with a progress line a second and how long each step
 * took (prep-keygen: request to the KeygenRequest its consensus emits; keygen: KeygenRequest to
 * ActivateKey).
 */
final class KeyGenerationStage {
    /** What the stage measured. */
    record Result(BigInteger prepKeygenId, BigInteger keyId, BigInteger crsId, Duration prepKeygen, Duration keygen,
            Duration crs, boolean keyActivated, boolean crsActivated) {
        boolean done() {
            return keyActivated && crsActivated;
        }
    }

    private final LocalPipeline pipeline;
    private final KeyManagementCalls kms;
    private final Consumer<String> say;

    KeyGenerationStage(LocalPipeline pipeline, Consumer<String> say) {
        this.pipeline = pipeline;
        this.kms = pipeline.keyManagement();
        this.say = say;
    }

    Result run(Duration timeout) throws Exception {
        say.accept("Generating a key and a CRS on Ethereum (KMSGeneration " + kms.address() + ")");
        Instant start = Instant.now();
        BigInteger prep = kms.requestKeygen(1);
        BigInteger crs = kms.requestCrsgen(2048, 1);
        say.accept(String.format("  requested prep-keygen 0x%s and CRS 0x%s", prep.toString(16), crs.toString(16)));
        Instant deadline = start.plus(timeout);
        Instant lastReport = start;
        Instant prepDone = null;
        Instant keyDone = null;
        Instant crsDone = null;
        BigInteger key = null;
        while (Instant.now().isBefore(deadline) && (keyDone == null || crsDone == null)) {
            if (key == null) {
                Optional<BigInteger> paired = kms.keyIdOf(prep);
                key = paired.orElse(null);
                prepDone = key == null ? null : Instant.now();
            }
            if (key != null && keyDone == null && kms.keyActivated(key)) {
                keyDone = Instant.now();
            }
            if (crsDone == null && kms.crsActivated(crs)) {
                crsDone = Instant.now();
            }
            if (Duration.between(lastReport, Instant.now()).toMillis() >= 1000) {
                lastReport = Instant.now();
                say.accept(String.format("  prep-keygen %-10s | keygen %-10s | key %-9s | CRS %-10s | CRS %s",
                        pipeline.rowStatus(Operations.PREP_KEYGEN.requests(), prep),
                        key == null ? "waiting" : pipeline.rowStatus(Operations.KEYGEN.requests(), key),
                        keyDone != null ? "activated" : "pending", pipeline.rowStatus(Operations.CRSGEN.requests(), crs),
                        crsDone != null ? "activated" : "pending"));
            }
            Thread.sleep(200);
        }
        Result r = new Result(prep, key, crs, between(start, prepDone), between(prepDone, keyDone),
                between(start, crsDone), keyDone != null, crsDone != null);
        if (r.done()) {
            say.accept(String.format("  key 0x%s activated after %.1f s, CRS 0x%s activated after %.1f s",
                    key.toString(16), Duration.between(start, keyDone).toMillis() / 1000.0, crs.toString(16),
                    Duration.between(start, crsDone).toMillis() / 1000.0));
        } else {
            say.accept("  key generation did not finish within " + timeout.toSeconds() + " s");
        }
        return r;
    }

    /** null when either end was not reached. */
    static Duration between(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to);
    }
}
