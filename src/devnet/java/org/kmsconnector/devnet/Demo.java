package org.kmsconnector.devnet;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.worker.kms.ContextRequests;

/**
 * The local demo: a whole pipeline on this machine (PostgreSQL, anvil with the mock Gateway, a
 * second anvil as Ethereum and host chain, S3Mock, a KMS Core double, the three services from the
 * built jar): first a key and a CRS generated through the pipeline, then the protocol moved to a
 * new KMS context and epoch, then a stream of public and user decryption requests pinned to that
 * context, live progress, and a summary of what reached the chain, every plaintext and user
 * share checked as the requester would check it.
 *
 * <p>Usage: {@code Demo [--requests N] [--rate R per second] [--keep]}
 */
public final class Demo {
    private static final int[] FHE_TYPES = {0, 2, 3, 4, 5, 6, 7, 8};
    /** Every fifth request is also a user decryption, by this contract's user. */
    private static final int USER_EVERY = 5;
    private static final String USER_CONTRACT = "0x00000000000000000000000000000000000c0ffe";
    private static final List<String> PUBLIC_TABLES = List.of("public_decryption_requests",
            "public_decryption_responses");
    private static final List<String> USER_TABLES = List.of("user_decryption_requests", "user_decryption_responses");

    private final int requests;
    private final double rate;
    private final boolean keep;

    private Demo(int requests, double rate, boolean keep) {
        this.requests = requests;
        this.rate = rate;
        this.keep = keep;
    }

    public static void main(String[] args) throws Exception {
        int requests = 50;
        double rate = 10;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--keep" -> keep = true;
                default -> {
                    System.err.println("usage: Demo [--requests N] [--rate R] [--keep]");
                    System.exit(2);
                }
            }
        }
        try {
            System.exit(new Demo(requests, rate, keep).run());
        } catch (IllegalStateException e) {
            System.err.println("demo: " + e.getMessage());
            System.exit(1);
        }
    }

    private int run() throws Exception {
        String server = System.getenv().getOrDefault("KMS_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres");
        Path work = Path.of("demo-run").toAbsolutePath();
        say("Starting a local pipeline in " + work);
        try (LocalPipeline p = LocalPipeline.start(server, "kms_connector_demo", work, 54321)) {
            p.database().keepAfterClose();
            say("  PostgreSQL  " + p.database().url().replaceAll(":[^:@/]+@", ":***@") + " (left in place after"
                    + " the demo)");
            say("  anvil       " + p.anvil().url() + " (Gateway, chain " + p.anvil().chainId() + "), "
                    + p.host().url() + " (Ethereum and host chain " + p.host().chainId() + ")");
            say("  contracts   Decryption " + p.gateway().decryption() + ", GatewayConfig " + p.gateway().gatewayConfig()
                    + ", host ACL " + p.host().acl());
            say("  KMS Core    " + p.kmsCore().endpoint() + " (test double, signs as " +
                    DevAccounts.KMS_SIGNER.getAddress() + ")");
            List<LocalPipeline.Ciphertext> cts = new ArrayList<>();
            for (int type : FHE_TYPES) {
                cts.add(p.publishCiphertext(type));
            }
            say("  S3          " + cts.size() + " attested ciphertexts published to the coprocessor bucket");
            p.startServices(ServiceProcess.connectorJar());
            say("  services    gw-listener, kms-worker, tx-sender (logs in " + work + ")");
            p.awaitListenerPolling(Duration.ofSeconds(180));
            say("  live status " + p.statusUrl() + "  (open it in a browser; --keep leaves it up)");
            KeyGenerationStage.Result keys = new KeyGenerationStage(p, Demo::say).run(Duration.ofSeconds(120));
            ContextStage.Result context = new ContextStage(p, Demo::say).run(Duration.ofSeconds(120));
            byte[] pinned = context.activated()
                    ? ContextRequests.extraDataV2(context.contextId(), context.epochId()) : new byte[0];
            for (LocalPipeline.Ciphertext ct : cts) {
                p.allow(ct.handle(), DevAccounts.USER.getAddress());
                p.allow(ct.handle(), USER_CONTRACT);
            }

            Map<BigInteger, List<LocalPipeline.Ciphertext>> asked = new LinkedHashMap<>();
            Map<BigInteger, byte[]> userKeys = new LinkedHashMap<>();
            Map<BigInteger, Instant> submitted = new HashMap<>();
            Map<BigInteger, Instant> landed = new HashMap<>();
            Random random = new Random(42);
            int userRequests = (requests + USER_EVERY - 1) / USER_EVERY;
            say(String.format("Submitting %d public and %d user decryption requests at %.1f/s%s", requests,
                    userRequests, rate, context.activated() ? ", pinned to the new context and epoch" : ""));
            Instant start = Instant.now();
            Instant lastReport = start;
            long gapNanos = (long) (1e9 / rate);
            for (int i = 0; i < requests; i++) {
                List<LocalPipeline.Ciphertext> chosen = random.nextInt(4) == 0
                        ? List.of(cts.get(random.nextInt(cts.size())), cts.get(random.nextInt(cts.size())))
                        : List.of(cts.get(random.nextInt(cts.size())));
                BigInteger id = p.requestPublicDecryption(chosen.stream().map(LocalPipeline.Ciphertext::handle).toList(),
                        pinned);
                asked.put(id, chosen);
                submitted.put(id, Instant.now());
                if (i % USER_EVERY == 0) {
                    byte[] publicKey = new byte[48];
                    random.nextBytes(publicKey);
                    BigInteger userId = p.requestUnifiedUserDecryption(DevAccounts.USER, chosen.stream()
                            .map(ct -> new UserDecryptionCalls.Entry(ct.handle(), USER_CONTRACT,
                                    DevAccounts.USER.getAddress())).toList(), List.of(),
                            Instant.now().getEpochSecond() - 60, 3600, publicKey, pinned);
                    asked.put(userId, chosen);
                    userKeys.put(userId, publicKey);
                    submitted.put(userId, Instant.now());
                }
                long wait = start.plusNanos(gapNanos * (i + 1)).toEpochMilli() - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                if (Duration.between(lastReport, Instant.now()).toMillis() >= 1000) {
                    lastReport = Instant.now();
                    progress(p, asked.size(), landed, submitted);
                } else {
                    observe(p, landed);
                }
            }
            Instant deadline = Instant.now().plusSeconds(120);
            for (int tick = 1; ; tick++) {
                Counts c = observe(p, landed);
                if (tick % 5 == 0) {
                    progress(p, asked.size(), landed, submitted);
                }
                if (c.requestsTerminal() >= asked.size() && c.responsesTerminal() >= c.responses()) {
                    break;
                }
                if (Instant.now().isAfter(deadline)) {
                    say("Stopped waiting after 120 s");
                    break;
                }
                Thread.sleep(200);
            }
            progress(p, asked.size(), landed, submitted);
            UserShareCheck shares = new UserShareCheck(p.chain(), p.anvil().chainId(), p.gateway().decryption(),
                    DevAccounts.KMS_SIGNER.getAddress());
            int verified = 0;
            for (Map.Entry<BigInteger, List<LocalPipeline.Ciphertext>> e : asked.entrySet()) {
                if (userKeys.containsKey(e.getKey())) {
                    List<UserShareCheck.Response> answers = shares.responses(e.getKey());
                    Optional<String> problem = answers.isEmpty() ? Optional.of("no share on chain")
                            : shares.problem(answers.get(0), userKeys.get(e.getKey()), e.getValue());
                    problem.ifPresent(why -> say("  user decryption 0x" + e.getKey().toString(16) + ": " + why));
                    verified += problem.isEmpty() ? 1 : 0;
                    continue;
                }
                LocalPipeline.PublicResult r = p.publicResult(e.getKey());
                if (r.responseCount() > 0 && Arrays.equals(r.decryptedResult(), expected(e.getValue()))) {
                    verified++;
                }
            }
            summary(start, submitted, landed, verified, userKeys.size());
            keySummary(keys);
            contextSummary(context);
            if (keep) {
                say("--keep: the pipeline stays up; press Ctrl-C to stop it");
                // Ctrl-C ends the JVM without leaving this block: stop the child processes on the way out
                Runtime.getRuntime().addShutdownHook(new Thread(p::close, "demo-stop"));
                Thread.currentThread().join();
            }
            return verified == asked.size() && keys.done() && context.activated() ? 0 : 1;
        }
    }

    private record Counts(long stored, long requestsTerminal, long responses, long responsesCompleted,
            long responsesTerminal, long failed) {}

    private static Counts progress(LocalPipeline p, int submittedCount, Map<BigInteger, Instant> landed,
            Map<BigInteger, Instant> submitted) throws Exception {
        Counts c = observe(p, landed);
        say(String.format("  submitted %4d | listener stored %4d | KMS answered %4d | on chain %4d | failed %d",
                submittedCount, c.stored(), c.responses(), c.responsesCompleted(), c.failed()));
        return c;
    }

    /** Reads the row counts of both kinds and notes when each response was first seen completed. */
    private static Counts observe(LocalPipeline p, Map<BigInteger, Instant> landed) throws Exception {
        Map<String, Long> req = new HashMap<>();
        Map<String, Long> resp = new HashMap<>();
        for (List<String> tables : List.of(PUBLIC_TABLES, USER_TABLES)) {
            statusCounts(p, tables.get(0)).forEach((status, n) -> req.merge(status, n, Long::sum));
            statusCounts(p, tables.get(1)).forEach((status, n) -> resp.merge(status, n, Long::sum));
            try (Connection c = p.database().open(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(
                            "SELECT decryption_id FROM " + tables.get(1) + " WHERE status = 'completed'")) {
                while (rs.next()) {
                    landed.putIfAbsent(Uint256.fromLittleEndian(rs.getBytes(1)), Instant.now());
                }
            }
        }
        long stored = req.values().stream().mapToLong(Long::longValue).sum();
        long responses = resp.values().stream().mapToLong(Long::longValue).sum();
        long failed = req.getOrDefault("failed", 0L) + resp.getOrDefault("failed", 0L);
        return new Counts(stored, req.getOrDefault("completed", 0L) + req.getOrDefault("failed", 0L), responses,
                resp.getOrDefault("completed", 0L), resp.getOrDefault("completed", 0L) + resp.getOrDefault("failed", 0L),
                failed);
    }

    private static Map<String, Long> statusCounts(LocalPipeline p, String table) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = p.database().open(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT status, count(*) FROM " + table + " GROUP BY status")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    private void summary(Instant start, Map<BigInteger, Instant> submitted, Map<BigInteger, Instant> landed,
            int verified, int userRequests) {
        List<Long> latencies = new ArrayList<>();
        Instant last = start;
        for (Map.Entry<BigInteger, Instant> e : landed.entrySet()) {
            Instant sent = submitted.get(e.getKey());
            if (sent != null) {
                latencies.add(Duration.between(sent, e.getValue()).toMillis());
                last = e.getValue().isAfter(last) ? e.getValue() : last;
            }
        }
        latencies.sort(Long::compare);
        double seconds = Math.max(0.001, Duration.between(start, last).toMillis() / 1000.0);
        say("");
        say("Summary");
        int total = submitted.size();
        say(String.format("  requests %d (%d public, %d user), answered on chain %d, verified as the requester would"
                + " (plaintexts; user shares' KMS signatures and contents) %d, failed %d", total, total - userRequests,
                userRequests, latencies.size(), verified, total - latencies.size()));
        say(String.format("  throughput %.1f requests/s (first submission to last response on chain, %.1f s)",
                latencies.size() / seconds, seconds));
        if (!latencies.isEmpty()) {
            say(String.format("  latency submit -> on chain (observed every 0.2 s): p50 %d ms, p90 %d ms, p99 %d ms, max %d ms",
                    pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), latencies.get(latencies.size() - 1)));
        }
    }

    private static void keySummary(KeyGenerationStage.Result keys) {
        if (!keys.done()) {
            say("  key generation: not finished (key activated " + keys.keyActivated() + ", CRS activated "
                    + keys.crsActivated() + ")");
            return;
        }
        say(String.format("  key generation: key 0x%s in %.1f s (prep-keygen %.1f s, keygen %.1f s), CRS 0x%s in %.1f s",
                keys.keyId().toString(16), seconds(keys.prepKeygen().plus(keys.keygen())), seconds(keys.prepKeygen()),
                seconds(keys.keygen()), keys.crsId().toString(16), seconds(keys.crs())));
    }

    private static void contextSummary(ContextStage.Result context) {
        if (!context.activated()) {
            say("  context switch: not finished (context 0x" + context.contextId().toString(16) + ")");
            return;
        }
        say(String.format("  context switch: context 0x%s confirmed in %.1f s, epoch 0x%s reshared and activated in"
                + " %.1f s", context.contextId().toString(16), seconds(context.context()),
                context.epochId().toString(16), seconds(context.epoch())));
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static byte[] expected(List<LocalPipeline.Ciphertext> cts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (LocalPipeline.Ciphertext ct : cts) {
            out.writeBytes(Uint256.toBigEndian(KmsCoreDouble.expectedPlaintext(ct.body(), ct.fheType())));
        }
        return out.toByteArray();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
