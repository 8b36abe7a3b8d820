package org.kmsconnector.chain;

import org.web3j.crypto.RawTransaction;

/**
 * The wallet of the tx-sender: whatever holds the key (a private key in development, AWS KMS in
 * production) only has to sign transactions for a chain and name its address.
 */
public interface TxSigner {

    /** The 0x-prefixed address the signatures recover to. */
    String address();

    /** The signed transaction, ready for eth_sendRawTransaction (EIP-155 / typed per tx). */
    byte[] sign(RawTransaction tx, long chainId);
}
