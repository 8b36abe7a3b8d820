package org.kmsconnector.worker.ciphertext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body but gives up (and cancels the stream) as soon as it passes a size
 * ceiling, so a misbehaving bucket cannot make the worker buffer an unbounded body.
 */
final class LimitedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
    /** The body is larger than allowed. */
    static final class TooLargeException extends IOException {
        TooLargeException(String message) {
            super(message);
        }
    }

    private final long max;
    private final ByteArrayOutputStream out;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final String refusal;
    private Flow.Subscription subscription;
    private long received;

    private LimitedBodySubscriber(long max, int initialCapacity, String refusal) {
        this.max = max;
        this.out = new ByteArrayOutputStream(initialCapacity);
        this.refusal = refusal;
    }

    /** The handler: refuses a declared Content-Length above {@code max} before reading anything. */
    static HttpResponse.BodyHandler<byte[]> handler(long max) {
        return info -> {
            long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
            if (declared > max) {
                return new LimitedBodySubscriber(max, 0, "Content-Length " + declared + " exceeds " + max + " bytes");
            }
            // trust a declared length for sizing only up to 1 MiB; growth covers the rest
            int initial = (int) Math.min(declared < 0 ? 8192 : declared, 1 << 20);
            return new LimitedBodySubscriber(max, initial, null);
        };
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (refusal != null) {
            s.cancel();
            body.completeExceptionally(new TooLargeException(refusal));
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer b : buffers) {
            received += b.remaining();
            if (received > max) {
                subscription.cancel();
                body.completeExceptionally(new TooLargeException("body passed " + max + " bytes"));
                return;
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            out.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onError(Throwable t) {
        body.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        body.complete(out.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }
}
