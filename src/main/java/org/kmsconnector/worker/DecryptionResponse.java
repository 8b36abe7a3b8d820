package org.kmsconnector.worker;

/**
 * What goes into a decryption response row and, from there, on chain: the bytes the KMS signed
 * (ABI words of public plaintexts, or the bincode of a user payload), its signature, and the
 * extraData it signed with.
 */
public record DecryptionResponse(byte[] payload, byte[] signature, byte[] extraData) {}
