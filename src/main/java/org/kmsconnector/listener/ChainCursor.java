package org.kmsconnector.listener;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * Where a poll loop stands on its chain. It starts at the configured from-block, else one past
 * the DB checkpoint, else at the current head; it only moves forward once a range is stored. With
 * a confirmation depth d it reads only blocks at least d below the head (head - d), so a re-org
 * of at most d blocks never reaches the database.
 */
public final class ChainCursor {
    private final long batchSize;
    private final long confirmationDepth;
    private final HeadSource head;
    private final CheckpointSource checkpoint;
    private final OptionalLong fromBlockOption;
    private final String chain;
    private Long next;

    public interface HeadSource {
        long head() throws IOException;
    }

    public interface CheckpointSource {
        OptionalLong lastPolled() throws Exception;
    }

    /** The block to start from could not be read: the loop cannot run, it is not worth retrying. */
    public static final class StartBlockUnavailable extends Exception {
        StartBlockUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** @param chain names the chain in errors, e.g. "Gateway" */
    public ChainCursor(String chain, long getLogsBatchSize, long confirmationDepth, OptionalLong fromBlockOption,
            HeadSource head, CheckpointSource checkpoint) {
        if (confirmationDepth < 0) {
            throw new IllegalArgumentException("confirmation depth must be >= 0");
        }
        this.batchSize = Math.max(1, getLogsBatchSize);
        this.confirmationDepth = confirmationDepth;
        this.fromBlockOption = fromBlockOption;
        this.head = head;
        this.checkpoint = checkpoint;
        this.chain = chain;
    }

    /** The next range to poll, or null when no new (deep enough) block exists yet. */
    public synchronized BlockRange nextRange() throws Exception {
        if (next == null) {
            next = startBlock();
        }
        long safeHead = head.head() - confirmationDepth;
        if (next > safeHead) {
            return null;
        }
        long to = Math.min(next + batchSize - 1, safeHead);
        return new BlockRange(next, to, to < safeHead);
    }

    /** Called once the range and its events are committed. */
    public synchronized void advance(BlockRange stored) {
        if (next == null || stored.to() + 1 > next) {
            next = stored.to() + 1;
        }
    }

    private long startBlock() throws StartBlockUnavailable {
        if (fromBlockOption.isPresent()) {
            return fromBlockOption.getAsLong();
        }
        OptionalLong last;
        try {
            last = checkpoint.lastPolled();
        } catch (Exception e) {
            throw new StartBlockUnavailable("cannot read the " + chain + " checkpoint: " + e.getMessage(), e);
        }
        if (last.isPresent()) {
            return last.getAsLong() + 1;
        }
        try {
            return Math.max(0, head.head() - confirmationDepth);
        } catch (IOException | RuntimeException e) {
            throw new StartBlockUnavailable("cannot read the " + chain + " head to start from: " + e.getMessage(), e);
        }
    }
}
