package org.kmsconnector.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.kmsconnector.devnet.AnvilNode;
import org.kmsconnector.devnet.DevAccounts;
import org.kmsconnector.devnet.DevChain;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.devnet.EthereumDeployment;
import org.kmsconnector.devnet.S3MockServer;

/**
 * The real parts the tests share, one of each per test JVM and started on first use: an anvil
 * node, an S3Mock server, and fresh databases on the local PostgreSQL. They stop when the JVM
 * exits. Tests that need a chain of their own (a fresh genesis, a killed node) start one.
 */
public final class TestInfra {
    public static final long CHAIN_ID = 31337;
    /** The buckets the shared S3 server starts with. */
    public static final List<String> BUCKETS = List.of("copro-a", "copro-b", "copro-c", "kms-fallback");

    private static AnvilNode anvil;
    private static S3MockServer s3;
    private static EthereumDeployment ethereum;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private TestInfra() {}

    /** The fast tier runs without real parts: a test that reaches for one there lacks its tag. */
    private static void requireRealParts() {
        if ("fast".equals(System.getProperty("kms.tier"))) {
            throw new IllegalStateException("this test uses real parts (PostgreSQL, anvil, S3Mock): annotate its"
                    + " class with @UsesRealParts so that the fast tier leaves it out");
        }
    }

    public static synchronized AnvilNode anvil() throws Exception {
        requireRealParts();
        if (anvil == null) {
            anvil = AnvilNode.start(CHAIN_ID);
            AnvilNode started = anvil;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return anvil;
    }

    public static synchronized S3MockServer s3() throws Exception {
        requireRealParts();
        if (s3 == null) {
            s3 = S3MockServer.start(Files.createTempDirectory("kmsc-s3-"), BUCKETS);
            S3MockServer started = s3;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return s3;
    }

    /** A ProtocolConfig mock on the shared anvil with an active context and epoch, final. */
    public static synchronized EthereumDeployment ethereum() throws Exception {
        requireRealParts();
        if (ethereum == null) {
            try (DevChain chain = new DevChain(anvil().url(), CHAIN_ID, DevAccounts.DEPLOYER)) {
                ethereum = EthereumDeployment.deploy(chain);
            }
        }
        return ethereum;
    }

    /** libpq URI of a database on the server where the tests may create databases. */
    public static String serverDatabaseUrl() {
        return System.getenv().getOrDefault("KMS_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres");
    }

    /** A new empty database (dropped when closed), named after the test and unique in this run. */
    public static DevDatabase database(String purpose) throws Exception {
        requireRealParts();
        String name = ("kmsc_t_" + purpose + "_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet())
                .toLowerCase().replaceAll("[^a-z0-9_]", "_");
        return DevDatabase.create(serverDatabaseUrl(), name);
    }

    public static Path tempDir(String prefix) throws Exception {
        return Files.createTempDirectory(prefix);
    }
}
