package org.kmsconnector.worker.ciphertext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.kmsconnector.chain.Handle;

/**
 * HEAD and GET of ciphertext objects with the worker's limits: a HEAD ceiling per bucket, a GET
 * ceiling shared by everything, a deadline per request covering the whole exchange, and a size
 * ceiling on bodies. Results never complete exceptionally except by cancellation: failures are
 * values, because the caller only counts and reports them.
 */
final class S3ObjectClient {
    /** What a HEAD said. {@code problem} is null on any HTTP answer. */
    record Head(String bucket, int status, String attestation, String problem) {
        boolean transportFailure() {
            return problem != null;
        }
    }

    /** What a GET said: a body, or a problem and whether it was the transport's fault. */
    record Fetch(String bucket, byte[] body, String problem, boolean transportFailure) {
        static Fetch failed(String bucket, String problem, boolean transport) {
            return new Fetch(bucket, null, problem, transport);
        }
    }

    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    private final S3Settings settings;
    private final HttpClient http;
    private final Map<String, AsyncLimiter> headLimiters = new ConcurrentHashMap<>();
    private final AsyncLimiter getLimiter;

    S3ObjectClient(S3Settings settings) {
        this.settings = settings;
        // HTTP/1.1: S3 endpoints are plain or TLS HTTP/1.1; an h2c upgrade attempt only adds risk
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
        this.getLimiter = new AsyncLimiter(settings.maxConcurrentGets());
    }

    static String objectUrl(String bucketUrl, Handle handle) {
        return bucketUrl + "/ct128/" + handle.hex() + "/" + Attestation.COPROCESSOR_CONTEXT_ID;
    }

    CompletableFuture<Head> head(String bucketUrl, Handle handle) {
        AsyncLimiter limiter = headLimiters.computeIfAbsent(bucketUrl, b -> new AsyncLimiter(settings.maxHeadsPerBucket()));
        return limiter.submit(() -> {
            HttpRequest request;
            try {
                request = HttpRequest.newBuilder(URI.create(objectUrl(bucketUrl, handle)))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(settings.headTimeout()).build();
            } catch (IllegalArgumentException e) {
                return CompletableFuture.completedFuture(new Head(bucketUrl, 0, null, "bad bucket URL: " + e.getMessage()));
            }
            return bounded(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()), settings.headTimeout(),
                    (response, error) -> error != null
                            ? new Head(bucketUrl, 0, null, describe(error, settings.headTimeout()))
                            : new Head(bucketUrl, response.statusCode(),
                                    response.headers().firstValue(Attestation.HEADER).orElse(null), null));
        });
    }

    CompletableFuture<Fetch> get(String bucketUrl, Handle handle) {
        return getLimiter.submit(() -> {
            HttpRequest request;
            try {
                request = HttpRequest.newBuilder(URI.create(objectUrl(bucketUrl, handle)))
                        .GET().timeout(settings.getTimeout()).build();
            } catch (IllegalArgumentException e) {
                return CompletableFuture.completedFuture(Fetch.failed(bucketUrl, "bad bucket URL: " + e.getMessage(), false));
            }
            return bounded(http.sendAsync(request, LimitedBodySubscriber.handler(settings.maxCiphertextSize())),
                    settings.getTimeout(), (response, error) -> {
                        if (error != null) {
                            Throwable cause = unwrap(error);
                            boolean transport = !(cause instanceof LimitedBodySubscriber.TooLargeException);
                            return Fetch.failed(bucketUrl, describe(cause, settings.getTimeout()), transport);
                        }
                        if (response.statusCode() / 100 != 2) {
                            return Fetch.failed(bucketUrl, "HTTP " + response.statusCode(), false);
                        }
                        return new Fetch(bucketUrl, response.body(), null, false);
                    });
        });
    }

    int headsInFlight(String bucketUrl) {
        AsyncLimiter l = headLimiters.get(bucketUrl);
        return l == null ? 0 : l.inFlight();
    }

    /**
     * Maps the exchange's outcome and enforces a deadline on all of it: HttpRequest.timeout only
     * covers the wait for the response headers, so a slow body is cut by cancelling the exchange.
     * Cancelling the mapped future cancels the exchange too.
     */
    private static <R, T> CompletableFuture<T> bounded(CompletableFuture<HttpResponse<R>> exchange, Duration deadline,
            BiFunction<HttpResponse<R>, Throwable, T> mapper) {
        // cancel(true) on the client's future aborts the exchange (JDK 16+) and completes it at once
        ScheduledFuture<?> timer = DEADLINES.schedule(() -> exchange.cancel(true), deadline.toNanos(),
                TimeUnit.NANOSECONDS);
        CompletableFuture<T> mapped = exchange.handle(mapper);
        exchange.whenComplete((r, e) -> timer.cancel(false)); // drops the timer's reference to the body at once
        mapped.whenComplete((r, e) -> {
            if (mapped.isCancelled()) {
                exchange.cancel(true);
            }
        });
        return mapped;
    }

    private static String describe(Throwable error, Duration deadline) {
        Throwable cause = unwrap(error);
        if (cause instanceof HttpTimeoutException || cause instanceof CancellationException) {
            return "timed out after " + deadline.toMillis() + " ms";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "s3-deadlines");
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        return ex;
    }
}
