package org.kmsconnector.worker.ciphertext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kmsconnector.worker.ciphertext.ConsensusTracker.Decision;

/** The vote alone, without HTTP: attestations are built directly (signatures are checked upstream). */
class CiphertextConsensusTest {
    private static final String S1 = "0x" + "1".repeat(40);
    private static final String S2 = "0x" + "2".repeat(40);
    private static final String S3 = "0x" + "3".repeat(40);

    private static Attestation vote(String signer, int digestByte) {
        byte[] digest = new byte[32];
        digest[0] = (byte) digestByte;
        return new Attestation(1, BigInteger.ONE, digest, digest, CiphertextFormat.COMPRESSED_ON_CPU, signer, new byte[65]);
    }

    @Test
    void settlesAsSoonAsTheOutstandingAnswersCannotChangeTheResult() {
        ConsensusTracker t = new ConsensusTracker(2, 3);
        t.accept("a", vote(S1, 1));
        assertSame(Decision.OPEN, t.decide());
        t.accept("b", vote(S2, 1));
        Decision d = t.decide();
        assertEquals(List.of("a", "b"), d.winner().buckets());
        assertEquals(2, d.winner().signers());
    }

    @Test
    void waitsWhileARivalCouldStillTie() {
        ConsensusTracker t = new ConsensusTracker(1, 3);
        t.accept("a", vote(S1, 2));
        t.accept("b", vote(S2, 1));
        assertSame(Decision.OPEN, t.decide(), "the third answer could break the tie either way");
        t.miss(ConsensusTracker.Miss.NOT_FOUND);
        Decision d = t.decide();
        assertEquals(List.of("b"), d.winner().buckets(), "a tie goes to the smaller material");
    }

    @Test
    void aSignerCountsOnceEvenIfSeveralBucketsServeItsAttestation() {
        ConsensusTracker t = new ConsensusTracker(2, 2);
        t.accept("a", vote(S1, 1));
        t.accept("b", vote(S1, 1));
        Decision d = t.decide();
        assertTrue(d.noConsensus());
        assertNull(d.winner());
    }

    @Test
    void belowTheThresholdThereIsNoConsensus() {
        ConsensusTracker t = new ConsensusTracker(2, 3);
        t.accept("a", vote(S1, 1));
        t.accept("b", vote(S2, 2));
        t.miss(ConsensusTracker.Miss.DROPPED);
        assertTrue(t.decide().noConsensus());
        assertFalse(t.allTransportFailures());
        assertTrue(t.summary().contains("1 dropped"), t.summary());
    }

    @Test
    void onlyTransportFailuresAreANetworkProblem() {
        ConsensusTracker t = new ConsensusTracker(1, 2);
        t.miss(ConsensusTracker.Miss.TRANSPORT);
        t.miss(ConsensusTracker.Miss.TRANSPORT);
        assertTrue(t.decide().noConsensus());
        assertTrue(t.allTransportFailures());
    }

    @Test
    void largestGroupWinsOverASmallerOneAboveThreshold() {
        ConsensusTracker t = new ConsensusTracker(1, 3);
        t.accept("a", vote(S1, 1));
        t.accept("b", vote(S2, 9));
        t.accept("c", vote(S3, 9));
        assertEquals(List.of("b", "c"), t.decide().winner().buckets());
    }
}
