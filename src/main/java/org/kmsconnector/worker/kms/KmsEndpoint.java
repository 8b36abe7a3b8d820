package org.kmsconnector.worker.kms;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * A configured KMS Core URL. As upstream: {@code http://} is HTTP/2 without TLS,
 * {@code https://} is server-authenticated TLS against the system trust roots, no client cert.
 */
record KmsEndpoint(String host, int port, boolean tls) {
    /** Results (user decryption shares, public plaintexts) may be far above grpc's 4 MiB default. */
    static final int MAX_INBOUND_BYTES = 256 * 1024 * 1024;

    static KmsEndpoint parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + url, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        boolean tls = switch (scheme) {
            case "http" -> false;
            case "https" -> true;
            default -> throw new IllegalArgumentException("KMS Core endpoint must be http:// or https://: " + url);
        };
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("KMS Core endpoint has no host: " + url);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // IPv6 literal
        }
        int port = uri.getPort() != -1 ? uri.getPort() : (tls ? 443 : 80);
        return new KmsEndpoint(host, port, tls);
    }

    ManagedChannel open() {
        ChannelCredentials credentials = tls ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
        // no outbound cap: requests carry whole ciphertexts; the server sets the limit
        return Grpc.newChannelBuilderForAddress(host, port, credentials)
                .maxInboundMessageSize(MAX_INBOUND_BYTES)
                .build();
    }

    @Override
    public String toString() {
        return (tls ? "https://" : "http://") + host + ":" + port;
    }
}
