package org.kmsconnector.worker;

/** One attempt at a claimed row: the row, how it ended, and whether the KMS Core has the request now. */
public record PublicDecryptionAttempt(PublicDecryptionJob job, Outcome outcome, boolean sent) {}
