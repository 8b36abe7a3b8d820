package org.kmsconnector.sender;

/**
 * A {@link ChainSender} driven through its steps in the order the send route
 * (routes/tx-sender/response.camel.yaml) runs them, for tests that send one call directly.
 */
record RouteSteps(ChainSender chain) {

    /** One claimed row of {@code response}'s kind, from build to record. */
    void process(ResponseSender response, java.util.Map<String, Object> row) {
        SendAttempt attempt = chain.settleEarlier(response.build(row));
        while (attempt.isSending()) {
            chain.awaitReceipt(chain.signAndSend(attempt));
        }
        response.record(attempt);
    }

    SendResult send(String to, byte[] calldata, String what) {
        return send(to, calldata, what, PriorSend.NONE, TxJournal.NONE);
    }

    SendResult send(String to, byte[] calldata, String what, PriorSend prior, TxJournal journal) {
        SendAttempt attempt = chain.settleEarlier(SendAttempt.of(null, what, to, calldata, prior, journal));
        while (attempt.isSending()) {
            chain.awaitReceipt(chain.signAndSend(attempt));
        }
        return attempt.result();
    }
}
