package org.kmsconnector.listener;

/** An event of the Gateway's Decryption contract that the listener stores. */
public interface GatewayEvent {
    long blockNumber();

    long logIndex();
}
