package io.als.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The block layout of a fit: the user blocks and the item blocks, each an RDD whose partition
 * {@code b} holds block {@code b} (or nothing, when no row falls in it), persisted for the
 * whole fit. Built in two rounds of shuffles:
 * <ol>
 *   <li>the ratings are sent to the block of their user and to the block of their item, and
 *       each block sorts its own ratings into compressed rows ({@link Block#build});</li>
 *   <li>each block tells every block of the other side which of its rows it needs (the global
 *       indices), and each block turns the requests into its out-lists.</li>
 * </ol>
 * This is the work Spark's ALS does in {@code partitionRatings} and {@code makeBlocks}; here a
 * rating goes straight to its two blocks instead of first to a (user block, item block) pair.
 *
 * <p>With checkpoints on, the blocks are checkpointed too, once: then no recovery ever goes back
 * to the input, and the shuffles that built them can be cleaned.
 */
record Layout(JavaRDD<Block> users, JavaRDD<Block> items, BlockPartitioner userPartitioner,
              BlockPartitioner itemPartitioner) {

    /**
     * Builds and materialises the blocks of the given ratings.
     *
     * @param chunks     the ratings by dense indices
     * @param userBlocks the number of user blocks
     * @param itemBlocks the number of item blocks
     * @param ids        the ids of both sides, broadcast
     */
    static Layout build(JavaRDD<Chunk> chunks, int userBlocks, int itemBlocks, Broadcast<IdTables> ids,
                        boolean checkpoint) {
        BlockPartitioner up = new BlockPartitioner(userBlocks);
        BlockPartitioner ip = new BlockPartitioner(itemBlocks);
        JavaPairRDD<Integer, Block> userHalves = halves(chunks, Block.Side.USERS, up, itemBlocks, ids);
        JavaPairRDD<Integer, Block> itemHalves = halves(chunks, Block.Side.ITEMS, ip, userBlocks, ids);
        JavaRDD<Block> users = finish(userHalves, itemHalves, up).values();
        JavaRDD<Block> items = finish(itemHalves, userHalves, ip).values();
        users.setName("als user blocks").persist(StorageLevel.MEMORY_AND_DISK());
        items.setName("als item blocks").persist(StorageLevel.MEMORY_AND_DISK());
        if (checkpoint) {
            // Once on reliable storage, a lost block is read back instead of rebuilt from the input,
            // which may be expensive to read again, or not reproducible (a round-robin repartition).
            users.checkpoint();
            items.checkpoint();
        }
        users.count();
        items.count();
        userHalves.unpersist(false);
        itemHalves.unpersist(false);
        return new Layout(users, items, up, ip);
    }

    /** Each block of one side built from its ratings, keyed and partitioned by block number. */
    private static JavaPairRDD<Integer, Block> halves(JavaRDD<Chunk> chunks, Block.Side side, BlockPartitioner p,
                                                      int otherBlocks, Broadcast<IdTables> ids) {
        int blocks = p.numPartitions();
        boolean byUser = side == Block.Side.USERS;
        JavaPairRDD<Integer, Chunk> routed = chunks.flatMapToPair(c -> {
            Chunk[] parts = new Chunk[blocks];
            for (int e = 0; e < c.size; e++) {
                int b = BlockPartitioner.blockOf(byUser ? c.users[e] : c.items[e], blocks);
                if (parts[b] == null) {
                    parts[b] = new Chunk(Math.max(16, c.size / blocks));
                }
                parts[b].add(c.users[e], c.items[e], c.values[e]);
            }
            List<Tuple2<Integer, Chunk>> out = new ArrayList<>();
            for (int b = 0; b < blocks; b++) {
                if (parts[b] != null) {
                    out.add(new Tuple2<>(b, parts[b].trimmed()));
                }
            }
            return out.iterator();
        });
        JavaPairRDD<Integer, Block> built = routed.groupByKey(p).mapPartitionsToPair(groups -> {
            List<Tuple2<Integer, Block>> out = new ArrayList<>(1);
            while (groups.hasNext()) {
                Tuple2<Integer, Iterable<Chunk>> g = groups.next();
                out.add(new Tuple2<>(g._1(), Block.build(side, g._1(), g._2(), otherBlocks, ids.value())));
            }
            return out.iterator();
        }, true);
        // Used twice: for its own out-lists and for the other side's requests.
        return built.persist(StorageLevel.MEMORY_AND_DISK());
    }

    /**
     * The blocks of one side with their out-lists, from the requests of the other side's
     * blocks. Partitioned like {@code halves}, so only the (small) requests are shuffled.
     */
    private static JavaPairRDD<Integer, Block> finish(JavaPairRDD<Integer, Block> halves,
                                                      JavaPairRDD<Integer, Block> other, BlockPartitioner p) {
        int blocks = p.numPartitions();
        JavaPairRDD<Integer, Tuple2<Integer, int[]>> requests = other.flatMapToPair(t -> {
            Block o = t._2();
            List<Tuple2<Integer, Tuple2<Integer, int[]>>> out = new ArrayList<>();
            for (int j = 0; j < o.fromBlock.length; j++) {
                if (o.fromBlock[j].length > 0) {
                    out.add(new Tuple2<>(j, new Tuple2<>(o.id, o.neededFrom(j))));
                }
            }
            return out.iterator();
        });
        int otherBlocks = other.getNumPartitions();
        return halves.cogroup(requests, p).mapPartitionsToPair(groups -> {
            List<Tuple2<Integer, Block>> out = new ArrayList<>(1);
            while (groups.hasNext()) {
                Tuple2<Integer, Tuple2<Iterable<Block>, Iterable<Tuple2<Integer, int[]>>>> g = groups.next();
                Iterator<Block> it = g._2()._1().iterator();
                if (!it.hasNext()) {
                    throw new IllegalStateException("block " + g._1() + " of " + blocks + " was asked for rows but holds"
                            + " none");
                }
                Block b = it.next();
                int[][] asked = new int[otherBlocks][];
                for (Tuple2<Integer, int[]> r : g._2()._2()) {
                    asked[r._1()] = r._2();
                }
                out.add(new Tuple2<>(g._1(), b.withOutgoing(b.outgoing(asked))));
            }
            return out.iterator();
        }, true);
    }
}
