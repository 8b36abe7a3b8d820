package org.kmsconnector.chain;

import java.time.Duration;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/** JSON-RPC clients with bounded calls: a hung node fails the call instead of stalling a service. */
public final class Web3jClients {
    private Web3jClients() {}

    public static Web3j create(String url, Duration callTimeout) {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(Math.min(5, Math.max(1, callTimeout.toSeconds()))))
                .readTimeout(callTimeout)
                .writeTimeout(callTimeout)
                .callTimeout(callTimeout)
                .build();
        return Web3j.build(new HttpService(url, http));
    }
}
