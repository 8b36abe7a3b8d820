package org.kmsconnector.worker;

/** What goes into public_decryption_responses and, from there, on chain. */
public record PublicDecryptionResponse(byte[] decryptedResult, byte[] signature, byte[] extraData) {}
