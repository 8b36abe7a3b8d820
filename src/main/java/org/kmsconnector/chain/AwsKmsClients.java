package org.kmsconnector.chain;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * The AWS KMS client of the wallet. Credentials and, unless given, the region come from the AWS
 * default chain (environment, profile, web identity, container or instance metadata); they are
 * never read, logged or passed around by this code. Every call is bounded: connect, socket
 * and whole-call timeouts, the SDK's own retries included.
 */
public final class AwsKmsClients {
    private AwsKmsClients() {}

    public static KmsClient create(Optional<String> region, Optional<String> endpoint, Duration callTimeout) {
        Duration connect = callTimeout.compareTo(Duration.ofSeconds(5)) < 0 ? callTimeout : Duration.ofSeconds(5);
        KmsClientBuilder builder = KmsClient.builder()
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(connect).socketTimeout(callTimeout))
                .overrideConfiguration(c -> c.apiCallTimeout(callTimeout).apiCallAttemptTimeout(callTimeout))
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        region.ifPresent(r -> builder.region(Region.of(r)));
        endpoint.ifPresent(e -> builder.endpointOverride(URI.create(e)));
        return builder.build();
    }
}
