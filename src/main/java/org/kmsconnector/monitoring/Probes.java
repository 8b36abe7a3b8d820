package org.kmsconnector.monitoring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthBlockNumber;

/** Health probes shared by the services. */
public final class Probes {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private Probes() {}

    /** An RPC node answers eth_blockNumber. */
    public static HealthChecks.Probe rpc(Web3j node) {
        return () -> {
            EthBlockNumber reply = node.ethBlockNumber().send();
            if (reply.hasError()) {
                throw new IOException("eth_blockNumber: " + reply.getError().getMessage());
            }
        };
    }

    /** Every URL answers HTTP at all (any status: an S3 bucket may well refuse anonymous HEADs). */
    public static HealthChecks.Probe reachable(Collection<String> urls, Duration timeout) {
        return () -> {
            if (urls.isEmpty()) {
                throw new IllegalStateException("no URL to check");
            }
            for (String url : urls) {
                try {
                    HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                            HttpResponse.BodyHandlers.discarding());
                } catch (IOException e) {
                    throw new IOException(url + ": " + e.getMessage(), e);
                }
            }
        };
    }
}
