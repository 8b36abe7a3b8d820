package org.kmsconnector.db;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every statement on the operation tables, built from the catalogue with one set of guards: a
 * claim moves only {@code pending} rows, and every later write names the state it expects
 * ({@code under_process}), so a late writer — a slow task after the recovery job released its row,
 * a second instance — never turns a finished row back. Parameters are listed per method in bind
 * order; {@link RequestWrites} and {@link ResponseWrites} bind them.
 */
public final class OperationSql {
    private static final String ATTEMPTS = "error_counter = LEAST(error_counter + ?, 32767)";

    private OperationSql() {}

    /**
     * The claim of up to {@code limit} pending rows, for the kms-worker (requests) and the tx-sender
     * (responses). The limit is in the SQL: camel-sql's maxMessagesPerPoll would drop rows already
     * claimed. With a {@code retryPause}, a row back with an error (last_error set) waits that long
     * before it is claimed again, so a dependency that is down is not retried in a tight loop.
     */
    public static String claim(OperationTable t, List<String> returning, int limit, Duration retryPause) {
        if (limit < 1) {
            throw new IllegalArgumentException("a claim takes at least one row");
        }
        String pause = retryPause == null || retryPause.isZero() ? ""
                : " AND (last_error IS NULL OR updated_at < NOW() - make_interval(secs => "
                        + retryPause.toMillis() / 1000.0 + "))";
        return "UPDATE " + t.name() + " SET status = 'under_process' WHERE " + t.key() + " IN (SELECT " + t.key()
                + " FROM " + t.name() + " WHERE status = 'pending'" + pause + " ORDER BY updated_at LIMIT " + limit
                + " FOR UPDATE SKIP LOCKED) AND status = 'pending' RETURNING " + String.join(", ", returning);
    }

    /** What a request claim returns: key, the kind's columns, already_sent, error_counter if counted, otlp_context, created_at. */
    public static List<String> requestColumns(OperationKind kind) {
        List<String> out = new ArrayList<>();
        out.add(kind.requests().key());
        kind.requests().columns().forEach(c -> out.add(c.read()));
        out.add("already_sent");
        if (kind.countsAttempts()) {
            out.add("error_counter");
        }
        out.add("otlp_context");
        out.add("created_at");
        return out;
    }

    /**
     * What a response claim returns: key, the kind's columns, otlp_context, created_at, and what an
     * earlier pick sent (tx_nonce; tx_hashes as comma-separated hex).
     */
    public static List<String> responseColumns(OperationTable t) {
        List<String> out = new ArrayList<>();
        out.add(t.key());
        t.columns().forEach(c -> out.add(c.read()));
        out.add("otlp_context");
        out.add("created_at");
        out.add("tx_nonce");
        out.add("array_to_string(ARRAY(SELECT encode(h, 'hex') FROM unnest(tx_hashes) AS h), ',') AS tx_hashes");
        return out;
    }

    // ---- request rows (gw-listener) ----

    /**
     * The listener's insert of one request: key, the given columns of the kind (by catalogue
     * name, bound through the catalogue's casts), tx_hash, created_at, otlp_context; a row another
     * listener stored first is left as it is. Binds: key, the columns in the given order, tx_hash,
     * created_at, otlp_context.
     */
    public static String insertRequest(OperationTable t, List<String> columns) {
        StringBuilder names = new StringBuilder(t.key());
        StringBuilder binds = new StringBuilder("?");
        for (String name : columns) {
            OperationTable.Column column = t.column(name);
            names.append(", ").append(column.name());
            binds.append(", ").append(column.bind());
        }
        return "INSERT INTO " + t.name() + " (" + names + ", tx_hash, created_at, otlp_context) VALUES (" + binds
                + ", ?, ?, ?) ON CONFLICT DO NOTHING";
    }

    // ---- request rows (kms-worker) ----

    /** Locks a request while its answer is stored. Binds: key. Returns its status as text. */
    static String lockRequest(OperationTable t) {
        return "SELECT status::text FROM " + t.name() + " WHERE " + t.key() + " = ? FOR UPDATE";
    }

    /**
     * Binds: key, the response columns in catalogue order, created_at, otlp_context. Skipped when the
     * row exists (a second worker answered first); the table's trigger completes the request.
     */
    static String insertResponse(OperationTable t) {
        return "INSERT INTO " + t.name() + " (" + t.key() + t.columns().stream().map(c -> ", " + c.name())
                .collect(Collectors.joining()) + ", created_at, otlp_context) VALUES (?"
                + t.columns().stream().map(c -> ", " + c.bind()).collect(Collectors.joining())
                + ", ?, ?) ON CONFLICT DO NOTHING";
    }

    /**
     * Completed, sent, no error. Also accepts a row the response's trigger completed in the same
     * transaction. Binds: [failed attempts], key.
     */
    static String completeRequest(OperationKind kind) {
        OperationTable t = kind.requests();
        return "UPDATE " + t.name() + " SET status = 'completed', already_sent = TRUE" + attempts(kind)
                + ", last_error = NULL WHERE " + t.key() + " = ? AND status IN ('under_process', 'completed')";
    }

    /** The KMS Core has the request, written down before its result is awaited. Binds: key. */
    static String markSent(OperationTable t) {
        return "UPDATE " + t.name() + " SET already_sent = TRUE WHERE " + t.key()
                + " = ? AND status = 'under_process' AND NOT already_sent";
    }

    /**
     * Back to pending with the reason; for kinds that count attempts, failed once
     * max_decryption_attempts is reached. Binds: [failed attempts], sent, reason, [failed attempts,
     * max attempts], key. Returns the new status.
     */
    static String retryRequest(OperationKind kind) {
        OperationTable t = kind.requests();
        String status = kind.countsAttempts()
                ? "CASE WHEN error_counter + ? >= ? THEN 'failed'::operation_status ELSE 'pending'::operation_status END"
                : "'pending'";
        return "UPDATE " + t.name() + " SET " + (kind.countsAttempts() ? ATTEMPTS + ", " : "")
                + "already_sent = already_sent OR ?, last_error = ?, status = " + status
                + " WHERE " + t.key() + " = ? AND status = 'under_process' RETURNING status::text";
    }

    /** Failed or aborted for good. Binds: status, sent, [failed attempts], reason, key. */
    static String endRequest(OperationKind kind) {
        OperationTable t = kind.requests();
        return "UPDATE " + t.name() + " SET status = ?::operation_status, already_sent = already_sent OR ?"
                + attempts(kind) + ", last_error = ? WHERE " + t.key() + " = ? AND status = 'under_process'";
    }

    // ---- response rows (tx-sender) ----

    /** Binds: key. */
    static String completeResponse(OperationTable t) {
        return "UPDATE " + t.name() + " SET status = 'completed', last_error = NULL WHERE " + t.key()
                + " = ? AND status = 'under_process'";
    }

    /** Binds: reason, key. */
    static String backToPending(OperationTable t) {
        return "UPDATE " + t.name() + " SET status = 'pending', last_error = ? WHERE " + t.key()
                + " = ? AND status = 'under_process'";
    }

    /** Binds: reason, key. */
    static String fail(OperationTable t) {
        return "UPDATE " + t.name() + " SET status = 'failed', last_error = ? WHERE " + t.key()
                + " = ? AND status = 'under_process'";
    }

    /**
     * Written before a transaction is broadcast: a new nonce starts a new list, a replacement adds
     * to it. Binds: nonce, hash, hash, nonce, key.
     */
    static String recordTransaction(OperationTable t) {
        return "UPDATE " + t.name() + " SET tx_hashes = CASE WHEN tx_nonce = ? THEN array_append(tx_hashes, ?)"
                + " ELSE ARRAY[?]::bytea[] END, tx_nonce = ? WHERE " + t.key() + " = ? AND status = 'under_process'";
    }

    // ---- the recovery job and the gauges (every live table) ----

    /** Expired operations failed. Binds: reason, age in seconds. */
    public static String expire(OperationTable t) {
        return "UPDATE " + t.name() + " SET status = 'failed', last_error = ?"
                + " WHERE status IN ('pending', 'under_process') AND created_at < NOW() - make_interval(secs => ?)";
    }

    /** Stale claims released. Binds: reason, age in seconds. */
    public static String release(OperationTable t) {
        return "UPDATE " + t.name() + " SET status = 'pending', last_error = ?"
                + " WHERE status = 'under_process' AND updated_at < NOW() - make_interval(secs => ?)";
    }

    /** Two counts: pending, under_process. */
    public static String backlog(OperationTable t) {
        return "SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'under_process')"
                + " FROM " + t.name() + " WHERE status IN ('pending', 'under_process')";
    }

    private static String attempts(OperationKind kind) {
        return kind.countsAttempts() ? ", " + ATTEMPTS : "";
    }
}
