package org.kmsconnector.runtime;

import com.zaxxer.hikari.HikariDataSource;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kmsconnector.chain.Uint256;
import org.kmsconnector.config.DatabaseUrl;
import org.kmsconnector.db.DataSources;
import org.kmsconnector.db.Migrations;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.db.OperationSql;
import org.kmsconnector.db.Operations;
import org.kmsconnector.devnet.DevDatabase;
import org.kmsconnector.testsupport.TestInfra;
import org.kmsconnector.testsupport.UsesRealParts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The claim-and-dispatch template as the services instantiate it, on a real database: two
 * instances (two kms-workers) claim the same table concurrently, woken only by NOTIFY (the fallback
 * poll is a minute), and every row inserted is handed to one of them, once. (Which one takes how
 * many is up to timing: an instance whose claim finds every pending row locked by the other stops
 * until the next NOTIFY or fallback poll.)
 */
@UsesRealParts
class ClaimTemplateTest extends CamelTestSupport {
    private static final OperationKind KIND = Operations.PUBLIC_DECRYPTION;
    private static final int ROWS = 40;
    private static DevDatabase db;
    private static HikariDataSource dataSource;
    private static ThreadPoolExecutor tasks;

    @BeforeAll
    static void migrate() throws Exception {
        db = TestInfra.database("claim_template");
        DatabaseUrl url = db.connection();
        dataSource = DataSources.pooled(url.jdbcUrl(), url.user(), url.password(), 8, "claim-template-test");
        Migrations.migrate(dataSource);
        tasks = TaskPool.create("claim-test", 4);
    }

    @AfterAll
    static void drop() throws Exception {
        tasks.shutdownNow();
        dataSource.close();
        db.close();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext camel = super.createCamelContext();
        camel.getRegistry().bind("dataSource", dataSource);
        camel.getRegistry().bind("taskPool", tasks);
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveMandatoryResource(camel,
                "classpath:routes/shared/claim-and-dispatch.camel.yaml"));
        String claim = OperationSql.claim(KIND.requests(), OperationSql.requestColumns(KIND), 3, null);
        for (String worker : List.of("worker-a", "worker-b")) {
            OperationRoutes routes = new OperationRoutes(worker);
            String work = routes.claim(camel.getRegistry()::bind, KIND, KIND.requests(), claim, db.connection(),
                    Duration.ofMinutes(1));
            camel.addRoutes(routes);
            camel.addTemplatedRoutes(routes); // as Camel Main does once every template is loaded
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(work).routeId(worker + "-collect").to("mock:claimed");
                }
            });
        }
        return camel;
    }

    @Test
    void everyRowIsClaimedOnceByOneOfTwoConcurrentInstancesOnNotify() throws Exception {
        MockEndpoint claimed = getMockEndpoint("mock:claimed");
        claimed.expectedMessageCount(ROWS);
        NotifyBuilder done = new NotifyBuilder(context).wereSentTo("mock:claimed").whenDone(ROWS).create();

        awaitListeners(2);
        insertPending(ROWS); // one transaction: one NOTIFY wakes both, which claim 3 rows at a time

        assertTrue(done.matches(20, TimeUnit.SECONDS), "all rows dispatched, woken by NOTIFY alone");
        claimed.assertIsSatisfied();
        Set<BigInteger> ids = new HashSet<>();
        claimed.getExchanges().forEach(e -> ids.add(Uint256.fromLittleEndian(
                (byte[]) e.getMessage().getBody(Map.class).get("decryption_id"))));
        assertEquals(ROWS, ids.size(), "no row claimed twice");
        assertEquals(ROWS, count("under_process"));
        assertEquals(0, count("pending"));
    }

    private static void insertPending(int rows) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO public_decryption_requests (decryption_id, ct_handles, extra_data, created_at,"
                        + " otlp_context) VALUES (?, '{}', '\\x00', ?, '\\x0000000000000000')")) {
            c.setAutoCommit(false);
            for (int i = 1; i <= rows; i++) {
                ps.setBytes(1, Uint256.toLittleEndian(BigInteger.valueOf(i)));
                ps.setTimestamp(2, Timestamp.from(Instant.now()));
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    /** Until both wake-ups LISTEN: a NOTIFY before that would reach only one of them. */
    private static void awaitListeners(int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND query LIKE 'LISTEN %'")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= n) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the claims' wake-ups do not LISTEN");
    }

    private static long count(String status) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM public_decryption_requests WHERE status = ?::operation_status")) {
            ps.setString(1, status);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
