package org.kmsconnector.worker.ciphertext;

/** Told of every ciphertext GET outcome (the retrieval counter and error counter metrics). */
@FunctionalInterface
public interface RetrievalListener {
    void onRetrieval(boolean ok);
}
