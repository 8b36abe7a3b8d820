package org.kmsconnector.monitoring;

import java.util.Map;

/** monitoring_endpoint (host:port) as the settings of Camel's embedded HTTP server. */
public final class MonitoringServer {
    private MonitoringServer() {}

    public static Map<String, String> camelProperties(String monitoringEndpoint) {
        int colon = monitoringEndpoint.lastIndexOf(':');
        String host = monitoringEndpoint.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return Map.of(
                "camel.server.enabled", "true",
                "camel.server.host", host,
                "camel.server.port", monitoringEndpoint.substring(colon + 1));
    }
}
