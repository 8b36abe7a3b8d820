package org.kmsconnector.db;

/** The operation_status enum shared by every request and response table. */
public enum Status {
    pending,
    under_process,
    completed,
    failed,
    aborted;

    public boolean terminal() {
        return this == completed || this == failed || this == aborted;
    }
}
