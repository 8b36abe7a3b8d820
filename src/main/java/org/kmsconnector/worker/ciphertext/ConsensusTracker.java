package org.kmsconnector.worker.ciphertext;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts the attestations of one handle as the HEADs come back and says when the outcome is
 * settled. The largest material group (by distinct signers) wins if it reaches the threshold;
 * equal groups go to the smaller material. The verdict comes early only when no answer still
 * outstanding could change it.
 */
final class ConsensusTracker {
    /** The agreed material and the buckets known to serve it, in arrival order. */
    record Winner(Attestation.Material material, List<String> buckets, int signers) {}

    /** Where the vote stands: a winner, no consensus possible any more, or still open. */
    record Decision(Winner winner, boolean noConsensus) {
        static final Decision OPEN = new Decision(null, false);
    }

    /** Why a HEAD did not yield a usable attestation. */
    enum Miss { TRANSPORT, NOT_FOUND, DROPPED }

    private static final class Group {
        final Set<String> signers = new LinkedHashSet<>();
        final List<String> buckets = new ArrayList<>();
    }

    private final int threshold;
    private final int expected;
    private final Map<Attestation.Material, Group> groups = new TreeMap<>();
    private int arrived;
    private int transport;
    private int notFound;
    private int dropped;

    ConsensusTracker(int threshold, int expected) {
        this.threshold = threshold;
        this.expected = expected;
    }

    /** Records a verified attestation served by {@code bucket}. */
    synchronized void accept(String bucket, Attestation attestation) {
        Group g = groups.computeIfAbsent(attestation.material(), m -> new Group());
        g.signers.add(attestation.signer());
        g.buckets.add(bucket);
        arrived++;
    }

    synchronized void miss(Miss why) {
        switch (why) {
            case TRANSPORT -> transport++;
            case NOT_FOUND -> notFound++;
            case DROPPED -> dropped++;
        }
        arrived++;
    }

    /** The winner once nothing outstanding could change it; empty while it still could. */
    synchronized Optional<Winner> settledWinner() {
        Optional<Map.Entry<Attestation.Material, Group>> leader = ranked().stream().findFirst();
        if (leader.isEmpty()) {
            return Optional.empty();
        }
        int lead = leader.get().getValue().signers.size();
        int runnerUp = ranked().stream().skip(1).mapToInt(e -> e.getValue().signers.size()).findFirst().orElse(0);
        int outstanding = expected - arrived;
        // each outstanding answer adds at most one signer to one group (existing or new)
        if (lead >= threshold && lead > runnerUp + outstanding) {
            return Optional.of(winner(leader.get()));
        }
        if (outstanding == 0 && lead >= threshold) {
            return Optional.of(winner(leader.get())); // a tie at the end: the smaller material ranks first
        }
        return Optional.empty();
    }

    /** One consistent look at the state, so a late answer cannot slip between two checks. */
    synchronized Decision decide() {
        Optional<Winner> w = settledWinner();
        if (w.isPresent()) {
            return new Decision(w.get(), false);
        }
        return arrived >= expected ? new Decision(null, true) : Decision.OPEN;
    }

    /** True when every bucket failed at the transport level: a network problem, not a disagreement. */
    synchronized boolean allTransportFailures() {
        return expected > 0 && transport == expected;
    }

    synchronized String summary() {
        int best = ranked().stream().findFirst().map(e -> e.getValue().signers.size()).orElse(0);
        return String.format("largest agreeing group has %d of %d signer(s) needed; %d bucket(s): %d group(s), "
                + "%d not found, %d dropped, %d unreachable", best, threshold, expected, groups.size(), notFound,
                dropped, transport);
    }

    private List<Map.Entry<Attestation.Material, Group>> ranked() {
        // TreeMap iterates by material, so a stable sort on size keeps the smaller material first on ties
        List<Map.Entry<Attestation.Material, Group>> list = new ArrayList<>(groups.entrySet());
        list.sort(Comparator.comparingInt((Map.Entry<Attestation.Material, Group> e) -> e.getValue().signers.size())
                .reversed());
        return list;
    }

    private static Winner winner(Map.Entry<Attestation.Material, Group> e) {
        return new Winner(e.getKey(), List.copyOf(e.getValue().buckets), e.getValue().signers.size());
    }
}
