package org.kmsconnector.listener;

import java.math.BigInteger;
import java.util.List;

/** D1: PublicDecryptionRequest(uint256 indexed decryptionId, bytes32[] ctHandles, bytes extraData), as stored. */
public record PublicDecryptionRequested(BigInteger decryptionId, List<byte[]> ctHandles, byte[] extraData,
        byte[] txHash, long blockNumber, long logIndex) implements GatewayEvent {}
