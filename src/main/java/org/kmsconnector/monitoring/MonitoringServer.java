package org.kmsconnector.monitoring;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;

/** monitoring_endpoint (host:port) as the settings of Camel's embedded HTTP server. */
public final class MonitoringServer {
    private MonitoringServer() {}

    public static Map<String, String> camelProperties(String monitoringEndpoint) {
        return Map.of(
                "camel.server.enabled", "true",
                "camel.server.host", host(monitoringEndpoint),
                "camel.server.port", Integer.toString(port(monitoringEndpoint)));
    }

    /**
     * Fails when the address cannot be listened on (another process has the port): Camel's HTTP
     * server would only log that and the service would run without health checks or metrics.
     */
    public static void requireBindable(String monitoringEndpoint) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host(monitoringEndpoint), port(monitoringEndpoint)));
        } catch (IOException e) {
            throw new IllegalStateException("monitoring_endpoint (KMS_CONNECTOR_MONITORING_ENDPOINT): cannot listen on "
                    + monitoringEndpoint + ": " + e.getMessage());
        }
    }

    private static String host(String endpoint) {
        String host = endpoint.substring(0, endpoint.lastIndexOf(':'));
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }
}
