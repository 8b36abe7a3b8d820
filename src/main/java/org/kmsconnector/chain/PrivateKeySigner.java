package org.kmsconnector.chain;

import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;

/**
 * Signs with a private key held in memory: for development and tests only. The key never
 * leaves this object: not in toString, logs or exception messages (web3j's own parse errors
 * would quote it, so they are replaced rather than wrapped).
 */
public final class PrivateKeySigner implements TxSigner {
    private static final BigInteger SECP256K1_N =
            new BigInteger("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);

    private final Credentials credentials;

    private PrivateKeySigner(Credentials credentials) {
        this.credentials = credentials;
    }

    /** @param hexKey 64 hex digits, with or without 0x */
    public static PrivateKeySigner fromHex(String hexKey) {
        String s = hexKey == null ? "" : hexKey.trim();
        if (s.startsWith("0x") || s.startsWith("0X")) {
            s = s.substring(2);
        }
        if (!s.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("private key (not shown) is not 64 hex digits");
        }
        BigInteger k = new BigInteger(s, 16);
        if (k.signum() == 0 || k.compareTo(SECP256K1_N) >= 0) {
            throw new IllegalArgumentException("private key (not shown) is not a valid secp256k1 scalar");
        }
        return new PrivateKeySigner(Credentials.create(s));
    }

    /** Wraps existing credentials, e.g. the dev accounts of the tests. */
    public static PrivateKeySigner of(Credentials credentials) {
        return new PrivateKeySigner(credentials);
    }

    @Override
    public String address() {
        return credentials.getAddress();
    }

    @Override
    public byte[] sign(RawTransaction tx, long chainId) {
        return TransactionEncoder.signMessage(tx, chainId, credentials);
    }

    @Override
    public String toString() {
        return "PrivateKeySigner[" + address() + "]";
    }
}
