package org.kmsconnector.listener;

import java.io.IOException;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Where the Gateway poll loop stands. It starts at the configured from-block, else one past the
 * DB checkpoint, else at the current head; it only moves forward once a range is stored.
 */
public final class GatewayCursor {
    private final long batchSize;
    private final HeadSource head;
    private final CheckpointSource checkpoint;
    private final OptionalLong fromBlockOption;
    private Long next;

    public interface HeadSource {
        long head() throws IOException;
    }

    public interface CheckpointSource {
        OptionalLong lastPolled() throws Exception;
    }

    public GatewayCursor(long getLogsBatchSize, OptionalLong fromBlockOption, HeadSource head,
            CheckpointSource checkpoint) {
        this.batchSize = Math.max(1, getLogsBatchSize);
        this.fromBlockOption = fromBlockOption;
        this.head = head;
        this.checkpoint = checkpoint;
    }

    /** The next range to poll, or null when no new block exists yet. */
    public synchronized BlockRange nextRange() throws Exception {
        long headBlock = head.head();
        if (next == null) {
            next = startBlock(() -> headBlock);
        }
        if (next > headBlock) {
            return null;
        }
        long to = Math.min(next + batchSize - 1, headBlock);
        return new BlockRange(next, to, to < headBlock);
    }

    /** Called once the range and its events are committed. */
    public synchronized void advance(BlockRange stored) {
        if (next == null || stored.to() + 1 > next) {
            next = stored.to() + 1;
        }
    }

    private long startBlock(LongSupplier currentHead) throws Exception {
        if (fromBlockOption.isPresent()) {
            return fromBlockOption.getAsLong();
        }
        OptionalLong last = checkpoint.lastPolled();
        return last.isPresent() ? last.getAsLong() + 1 : currentHead.getAsLong();
    }
}
