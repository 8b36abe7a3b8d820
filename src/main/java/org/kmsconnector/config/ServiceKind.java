package org.kmsconnector.config;

/** The three services of the connector, named as on the command line. */
public enum ServiceKind {
    GW_LISTENER("gw-listener"),
    KMS_WORKER("kms-worker"),
    TX_SENDER("tx-sender");

    private final String id;

    ServiceKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The original's default service_name (the OTLP resource name). */
    public String defaultServiceName() {
        return "kms-connector-" + id;
    }
}
