package org.kmsconnector.sender;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** The transactions sent for one response under one nonce; at most one of them can be mined. */
final class InFlight {
    record Fees(BigInteger priority, BigInteger max) {}

    record Sent(String hash, BigInteger gas, Fees fees) {}

    final BigInteger nonce;
    final List<Sent> sent = new ArrayList<>();

    InFlight(BigInteger nonce) {
        this.nonce = nonce;
    }

    void add(String hash, BigInteger gas, Fees fees) {
        sent.add(new Sent(hash, gas, fees));
    }

    String lastHash() {
        return sent.isEmpty() ? null : sent.get(sent.size() - 1).hash();
    }

    Fees lastFees() {
        return sent.get(sent.size() - 1).fees();
    }

    BigInteger lastGas() {
        return sent.get(sent.size() - 1).gas();
    }

    BigInteger gasOf(String hash) {
        return sent.stream().filter(s -> s.hash().equalsIgnoreCase(hash)).map(Sent::gas).findFirst().orElse(null);
    }

    static String lastHash(InFlight inFlight) {
        return inFlight == null ? null : inFlight.lastHash();
    }
}
