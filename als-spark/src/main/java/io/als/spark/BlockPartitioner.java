package io.als.spark;

import org.apache.spark.Partitioner;

/**
 * Sends key {@code b} (a block number) to partition {@code b}, so that partition {@code b}
 * of every block-keyed RDD of one side holds block {@code b} and nothing else. Two
 * partitioners with the same count are equal, which lets Spark see that RDDs partitioned by
 * them line up (no shuffle to join them).
 */
final class BlockPartitioner extends Partitioner {
    private final int blocks;

    BlockPartitioner(int blocks) {
        if (blocks < 1) {
            throw new IllegalArgumentException("blocks must be at least 1 but was " + blocks);
        }
        this.blocks = blocks;
    }

    /** The block of a row: its dense index modulo the number of blocks. */
    static int blockOf(int row, int blocks) {
        return row % blocks;
    }

    @Override
    public int numPartitions() {
        return blocks;
    }

    @Override
    public int getPartition(Object key) {
        return (Integer) key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockPartitioner p && p.blocks == blocks;
    }

    @Override
    public int hashCode() {
        return blocks;
    }
}
