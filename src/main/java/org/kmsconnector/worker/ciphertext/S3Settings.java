package org.kmsconnector.worker.ciphertext;

import java.time.Duration;

/**
 * The kms-worker's {@code s3_*} options.
 *
 * @param retrievalAttempts rounds over the winning buckets before giving up
 * @param getTimeout bound on a whole GET, body included
 * @param maxHeadsPerBucket HEADs in flight per bucket, across all requests
 * @param maxConcurrentGets GETs in flight, across all buckets and requests
 * @param maxCiphertextSize largest body accepted, in bytes
 */
public record S3Settings(int retrievalAttempts, Duration connectTimeout, Duration headTimeout, Duration getTimeout,
        int maxHeadsPerBucket, int maxConcurrentGets, long maxCiphertextSize) {

    public S3Settings {
        if (retrievalAttempts < 0) {
            throw new IllegalArgumentException("s3_ciphertext_retrieval_attempts must not be negative");
        }
        positive("s3_connect_timeout", connectTimeout);
        positive("s3_head_timeout", headTimeout);
        positive("s3_get_timeout", getTimeout);
        if (maxHeadsPerBucket <= 0 || maxConcurrentGets <= 0 || maxCiphertextSize <= 0) {
            throw new IllegalArgumentException(
                    "s3_max_concurrent_heads_per_bucket, s3_max_concurrent_gets and s3_max_ciphertext_size must be non-zero");
        }
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
    }
}
