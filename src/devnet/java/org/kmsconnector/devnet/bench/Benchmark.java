package org.kmsconnector.devnet.bench;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.db.DataSources;
import org.kmsconnector.db.Migrations;
import org.kmsconnector.devnet.CiphertextPublisher;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.LocalPipeline;
import org.kmsconnector.devnet.ServiceProcess;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;

/**
 * The throughput of each service on this machine, beside the raw rate of the part it is bound
 * by, measured in one run on the same PostgreSQL, anvil and S3Mock (scripts/bench.sh):
 * (a) gw-listener ingest of a backlog, (b) kms-worker with the zero-latency KMS Core double,
 * (c) tx-sender responses landing on anvil, (d) end to end with the three services.
 * Not a test: it asserts only that every item went through (and landed on chain).
 */
public final class Benchmark {
    private static final long CHAIN_ID = 42424;
    private static final int LISTENER_BATCH = 100; // get_logs_batch_size default: one store transaction per range
    private static final int S3_IN_FLIGHT = 16; // s3_max_concurrent_gets default
    private static final Duration STAGE_TIMEOUT = Duration.ofMinutes(5);

    private final int requests;
    private final int e2eRequests;
    private final int ciphertexts;
    private final BenchReport report = new BenchReport();
    private final CpuMeter cpu = new CpuMeter();

    private Benchmark(int requests, int e2eRequests) {
        this.requests = requests;
        this.e2eRequests = e2eRequests;
        this.ciphertexts = Math.min(requests, 100);
    }

    public static void main(String[] args) throws Exception {
        int n = 1000;
        int e2e = 500;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--requests" -> n = Integer.parseInt(args[++i]);
                case "--e2e" -> e2e = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("usage: Benchmark [--requests N] [--e2e M] [--out file.md]");
            }
        }
        String table = new Benchmark(n, e2e).run();
        if (out != null) {
            Files.writeString(out, table);
        }
        System.exit(0);
    }

    private String run() throws Exception {
        String server = System.getenv().getOrDefault("KMS_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres");
        Path work = Path.of("target", "bench-run").toAbsolutePath();
        report.note("machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average at start "
                + BenchReport.loadAverage() + ", Java " + System.getProperty("java.version"));
        try (LocalPipeline p = LocalPipeline.start(server, "kmsc_bench", work, CHAIN_ID)) {
            migrate(p);
            List<byte[]> handles = publish(p);
            PresignedTransactions txs = new PresignedTransactions(p.anvil().url(), CHAIN_ID);

            // the backlog for the listener doubles as anvil's raw rate for pre-signed transactions
            say("signing " + requests + " public decryption requests");
            List<String> backlog = signRequests(p, txs, handles, requests);
            long firstBlock = txs.blockNumber() + 1;
            long t0 = System.nanoTime();
            txs.sendAndAwaitMined(DevAccounts.USER, backlog, STAGE_TIMEOUT);
            double anvilRate = requests / ((System.nanoTime() - t0) / 1e9);
            say(String.format("anvil mined %d pre-signed transactions at %.0f/s", requests, anvilRate));
            Baselines.postgresInsertNotify(p.database(), 500, LISTENER_BATCH); // warm-up (JIT, connection)
            double pgRate = Baselines.postgresInsertNotify(p.database(), requests, LISTENER_BATCH);
            say(String.format("PostgreSQL: %.0f rows/s (batched INSERT + NOTIFY, %d a transaction)", pgRate,
                    LISTENER_BATCH));

            Path jar = ServiceProcess.connectorJar();
            try (Connection c = p.database().open()) {
                say("(a) gw-listener over the backlog");
                // anvil is held while the listener starts, so the clock starts with its first eth_getLogs
                p.anvil().pause();
                long aStart;
                try {
                    p.startService(jar, "gw-listener", Map.of("KMS_CONNECTOR_DECRYPTION_FROM_BLOCK_NUMBER",
                            Long.toString(firstBlock)));
                    Readiness.await(p, "gw-listener");
                } finally {
                    aStart = System.nanoTime();
                    cpu.start();
                    p.anvil().resume();
                }
                StageClock.Measure a = StageClock.await(c, "SELECT count(*) FROM public_decryption_requests", null, 0,
                        requests, STAGE_TIMEOUT, aStart, () -> alive(p));
                report.stage("(a) gw-listener: events stored", a, "PostgreSQL batched INSERT + NOTIFY", pgRate);
                report.note(detail("(a)", a));

                List<String> objects = handles.stream().map(h -> CiphertextPublisher.objectUrl(p.bucketUrl(), h))
                        .toList();
                Baselines.s3Gets(objects, 200, S3_IN_FLIGHT); // warm-up
                double s3Rate = Baselines.s3Gets(objects, requests, S3_IN_FLIGHT);
                say(String.format("S3Mock: %.0f GETs/s (%d in flight)", s3Rate, S3_IN_FLIGHT));
                say("(b) kms-worker with the KMS Core double");
                long bStart = Readiness.startHeld(p, jar, "kms-worker", c, "public_decryption_requests",
                        "public_decryption_request_available", cpu);
                StageClock.Measure b = StageClock.await(c,
                        "SELECT count(*) FROM public_decryption_requests WHERE status = 'completed'",
                        "SELECT count(*) FROM public_decryption_requests WHERE status = 'failed'", 0, requests,
                        STAGE_TIMEOUT, bStart, () -> alive(p));
                report.stage("(b) kms-worker: requests answered", b, "PostgreSQL batched INSERT + NOTIFY", pgRate);
                report.note(detail("(b)", b));
                report.baselineOnly("(b) same stage", b, "raw S3 GET, " + S3_IN_FLIGHT + " in flight", s3Rate);

                say("(c) tx-sender on anvil");
                long cStart = Readiness.startHeld(p, jar, "tx-sender", c, "public_decryption_responses",
                        "public_decryption_response_available", cpu);
                String responsesDone = "SELECT count(*) FROM public_decryption_responses WHERE status = 'completed'";
                String failures = "SELECT (SELECT count(*) FROM public_decryption_responses WHERE status = 'failed')"
                        + " + (SELECT count(*) FROM public_decryption_requests WHERE status = 'failed')";
                StageClock.Measure cm = StageClock.await(c, responsesDone, failures, 0, requests, STAGE_TIMEOUT,
                        cStart, () -> alive(p));
                report.stage("(c) tx-sender: responses mined", cm, "anvil, pre-signed transactions", anvilRate);
                report.note(detail("(c)", cm));

                say("(d) end to end: " + e2eRequests + " new requests with the three services running");
                List<String> more = signRequests(p, txs, handles, e2eRequests);
                long start = System.nanoTime();
                cpu.start();
                StageClock.Measure d;
                try (Timeline timeline = new Timeline(p.database(), requests)) {
                    txs.sendAndAwaitMined(DevAccounts.USER, more, STAGE_TIMEOUT);
                    d = StageClock.await(c, responsesDone, failures, requests, e2eRequests, STAGE_TIMEOUT, start,
                            () -> alive(p));
                    report.stage("(d) end to end: request tx to response tx", d,
                            "anvil pre-signed rate / 2 (two transactions each)", anvilRate / 2);
                    report.note("(d) " + timeline.render());
                }
                report.note(detail("(d)", d));
                report.note(verifyOnChain(p, c, requests + e2eRequests));
            }
        }
        report.note("load average at the end " + BenchReport.loadAverage());
        String table = report.render();
        System.out.println();
        System.out.println(table);
        return table;
    }

    private void migrate(LocalPipeline p) {
        var db = p.database().connection();
        try (var ds = DataSources.pooled(db.jdbcUrl(), db.user(), db.password(), 2, "bench")) {
            Migrations.migrate(ds);
        }
    }

    /** Attested ciphertexts in the coprocessor bucket, allowed for public decryption in a few ACL calls. */
    private List<byte[]> publish(LocalPipeline p) throws Exception {
        say("publishing " + ciphertexts + " attested ciphertexts to S3Mock");
        List<byte[]> handles = new ArrayList<>();
        for (int i = 0; i < ciphertexts; i++) {
            handles.add(p.publishCiphertext(i % 2 == 0 ? 5 : 8, false).handle());
        }
        for (int from = 0; from < handles.size(); from += 100) {
            List<Bytes32> chunk = handles.subList(from, Math.min(handles.size(), from + 100)).stream()
                    .map(Bytes32::new).toList();
            p.host().chain().send(p.host().acl(), new Function("allowForDecryption",
                    List.of(new DynamicArray<>(Bytes32.class, chunk)), List.of()));
        }
        return handles;
    }

    private static List<String> signRequests(LocalPipeline p, PresignedTransactions txs, List<byte[]> handles,
            int count) throws Exception {
        List<String> calldata = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            calldata.add(FunctionEncoder.encode(new Function("publicDecryptionRequest", List.of(
                    new DynamicArray<>(Bytes32.class, new Bytes32(handles.get(i % handles.size()))),
                    new DynamicBytes(new byte[0])), List.of())));
        }
        BigInteger gas = txs.estimateGas(DevAccounts.USER.getAddress(), p.gateway().decryption(), calldata.get(0))
                .multiply(BigInteger.TWO);
        return txs.sign(DevAccounts.USER, p.gateway().decryption(), calldata, gas);
    }

    /** Every answered request has a response recorded by the Decryption contract. */
    private static String verifyOnChain(LocalPipeline p, Connection c, int expected) throws Exception {
        int landed = 0;
        int twice = 0;
        int total = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT decryption_id FROM public_decryption_responses WHERE status = 'completed'")) {
            while (rs.next()) {
                total++;
                long responses = p.publicResult(Uint256.fromLittleEndian(rs.getBytes(1))).responseCount();
                landed += responses > 0 ? 1 : 0;
                twice += responses > 1 ? 1 : 0;
            }
        }
        if (landed != expected || total != expected || twice > 0) {
            throw new IllegalStateException("on chain: " + landed + " responses of " + expected + " expected, "
                    + twice + " sent more than once");
        }
        return "checked on chain: each of the " + landed + " decryptions has exactly one response recorded";
    }

    /** The stage's tail and where its CPU time went. */
    private String detail(String stage, StageClock.Measure m) {
        return String.format("%s 99%% of the items in %.2f s; ", stage, m.seconds99()) + cpu.since(m.seconds());
    }

    private static boolean alive(LocalPipeline p) {
        return p.services().stream().allMatch(ServiceProcess::isAlive);
    }

    private static void say(String line) {
        System.out.println("[bench] " + line);
        System.out.flush();
    }
}
