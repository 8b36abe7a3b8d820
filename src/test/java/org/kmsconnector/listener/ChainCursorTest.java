package org.kmsconnector.listener;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.kmsconnector.monitoring.ConnectorMetrics;
import org.kmsconnector.monitoring.Metrics;
import org.kmsconnector.runtime.ServiceExit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cursor's confirmation depth and start-block failures, and the error budget's backoff. */
class ChainCursorTest {

    @Test
    void withADepthOnlyBlocksThatDeepBelowTheHeadArePolled() throws Exception {
        AtomicLong head = new AtomicLong(100);
        ChainCursor cursor = new ChainCursor("Gateway", 10, 3, OptionalLong.empty(), head::get, () -> OptionalLong.of(90));
        assertEquals(new BlockRange(91, 97, false), cursor.nextRange(), "latest - 3 = 97");
        cursor.advance(new BlockRange(91, 97, false));
        assertNull(cursor.nextRange(), "block 98 is only 2 deep");
        head.set(101);
        assertEquals(new BlockRange(98, 98, false), cursor.nextRange());
    }

    @Test
    void aFreshDatabaseStartsAtTheDeepHead() throws Exception {
        ChainCursor cursor = new ChainCursor("Gateway", 10, 5, OptionalLong.empty(), () -> 100, OptionalLong::empty);
        assertEquals(new BlockRange(95, 95, false), cursor.nextRange());
        ChainCursor young = new ChainCursor("Gateway", 10, 5, OptionalLong.empty(), () -> 2, OptionalLong::empty);
        assertEquals(new BlockRange(0, 0, false), new ChainCursor("Gateway", 10, 5, OptionalLong.empty(), () -> 5,
                OptionalLong::empty).nextRange());
        assertNull(young.nextRange(), "a chain younger than the depth has nothing to poll yet");
    }

    @Test
    void depthZeroIsTheOriginalBehaviour() throws Exception {
        ChainCursor cursor = new ChainCursor("Gateway", 100, 0, OptionalLong.empty(), () -> 100, () -> OptionalLong.of(99));
        assertEquals(new BlockRange(100, 100, false), cursor.nextRange());
    }

    @Test
    void anUnreadableStartBlockIsItsOwnFailure() {
        ChainCursor noCheckpoint = new ChainCursor("Gateway", 10, 0, OptionalLong.empty(), () -> 100, () -> {
            throw new SQLException("connection refused");
        });
        ChainCursor.StartBlockUnavailable e = assertThrows(ChainCursor.StartBlockUnavailable.class,
                noCheckpoint::nextRange);
        assertTrue(e.getMessage().contains("checkpoint") && e.getMessage().contains("connection refused"));

        ChainCursor noHead = new ChainCursor("Gateway", 10, 0, OptionalLong.empty(), () -> {
            throw new IOException("node down");
        }, OptionalLong::empty);
        assertThrows(ChainCursor.StartBlockUnavailable.class, noHead::nextRange);
    }

    @Test
    void aHeadFailureOnceStartedIsAnOrdinaryIterationFailure() throws Exception {
        AtomicLong calls = new AtomicLong();
        ChainCursor cursor = new ChainCursor("Gateway", 10, 0, OptionalLong.empty(), () -> {
            if (calls.incrementAndGet() > 1) {
                throw new IOException("node down");
            }
            return 100;
        }, () -> OptionalLong.of(50));
        cursor.nextRange();
        IOException e = assertThrows(IOException.class, cursor::nextRange);
        assertEquals("node down", e.getMessage());
    }

    @Test
    void theBackoffDoublesFromThePollIntervalUpToItsBound() {
        PollingErrors errors = new PollingErrors("decryption", 20, ConnectorMetrics.inMemory(), new ServiceExit(),
                Duration.ofMillis(500), Duration.ofSeconds(5));
        assertEquals(Duration.ofMillis(500), errors.backoff(1));
        assertEquals(Duration.ofSeconds(1), errors.backoff(2));
        assertEquals(Duration.ofSeconds(4), errors.backoff(4));
        assertEquals(Duration.ofSeconds(5), errors.backoff(5));
        assertEquals(Duration.ofSeconds(5), errors.backoff(60));
        PollingErrors original = new PollingErrors("decryption", 20, ConnectorMetrics.inMemory(), new ServiceExit(),
                Duration.ofMillis(500), Duration.ZERO);
        assertEquals(Duration.ZERO, original.backoff(3));
    }

    @Test
    void aStartBlockFailureStopsAtOnceAndOtherFailuresOnlyAtTheLimit() {
        ConnectorMetrics metrics = ConnectorMetrics.inMemory();
        ServiceExit exit = new ServiceExit();
        PollingErrors errors = new PollingErrors("decryption", 3, metrics, exit, Duration.ofMillis(1),
                Duration.ofMillis(2));
        errors.failed(failure(new IOException("node down")));
        errors.failed(failure(new IOException("node down")));
        assertEquals(0, exit.exitCode());
        errors.succeeded();
        errors.failed(failure(new IOException("node down")));
        errors.failed(failure(new IOException("node down")));
        assertEquals(0, exit.exitCode(), "a success reset the count");
        errors.failed(failure(new IOException("node down")));
        assertEquals(1, exit.exitCode());

        ServiceExit early = new ServiceExit();
        new PollingErrors("decryption", 20, metrics, early, Duration.ofMillis(1), Duration.ofMillis(2))
                .failed(failure(new ChainCursor.StartBlockUnavailable("cannot read the Gateway checkpoint", null)));
        assertEquals(1, early.exitCode(), "no retries without a start block");
        assertEquals(6.0, metrics.count(Metrics.LISTENER_ERRORS, "contract", "decryption"));
    }

    private static Exchange failure(Exception e) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, e);
        return exchange;
    }
}
