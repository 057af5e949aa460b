package io.als.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.als.api.Initialization;
import io.als.api.Ratings;
import io.als.api.Regularizer;
import io.als.spi.FactorMatrix;
import io.als.spi.LeastSquaresStep;
import io.als.spi.SparseView;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * The block layout and one half-step without Spark: the blocks are built, shipped between and
 * solved by hand, as the RDD code does per partition, and compared with the single-machine views
 * and step.
 */
class BlockLayoutTest {
    private static final int USER_BLOCKS = 3;
    private static final int ITEM_BLOCKS = 2;

    /** A random sparse matrix of 40 users and 25 items, about a quarter of the cells rated. */
    private static Ratings ratings() {
        SplittableRandom rnd = new SplittableRandom(3);
        Ratings.Builder b = Ratings.builder();
        for (int u = 0; u < 40; u++) {
            b.add(u, u % 25, 1 + rnd.nextInt(5));
            for (int i = 0; i < 25; i++) {
                if (i != u % 25 && rnd.nextDouble() < 0.25) {
                    b.add(u, i, 1 + rnd.nextInt(5));
                }
            }
        }
        return b.build();
    }

    private static IdTables ids(Ratings r) {
        long[] users = new long[r.numUsers()];
        long[] items = new long[r.numItems()];
        for (int u = 0; u < users.length; u++) {
            users[u] = r.userIds().numericIdAt(u);
        }
        for (int i = 0; i < items.length; i++) {
            items[i] = r.itemIds().numericIdAt(i);
        }
        return new IdTables(IdTable.numeric(users), IdTable.numeric(items), "test");
    }

    /** The blocks of one side, built from every rating in one chunk per block and finished with the other side's requests. */
    private static Block[][] layout(Ratings r) {
        IdTables ids = ids(r);
        Block[] users = halves(r, Block.Side.USERS, USER_BLOCKS, ITEM_BLOCKS, ids);
        Block[] items = halves(r, Block.Side.ITEMS, ITEM_BLOCKS, USER_BLOCKS, ids);
        return new Block[][] {finish(users, items), finish(items, users)};
    }

    private static Block[] halves(Ratings r, Block.Side side, int blocks, int otherBlocks, IdTables ids) {
        List<List<Chunk>> byBlock = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            byBlock.add(new ArrayList<>(List.of(new Chunk(16))));
        }
        SparseView v = r.byUser();
        for (int u = 0; u < v.rows(); u++) {
            for (int e = v.start(u); e < v.end(u); e++) {
                int row = side == Block.Side.USERS ? u : v.index(e);
                byBlock.get(BlockPartitioner.blockOf(row, blocks)).get(0).add(u, v.index(e), v.value(e));
            }
        }
        Block[] out = new Block[blocks];
        for (int b = 0; b < blocks; b++) {
            out[b] = Block.build(side, b, byBlock.get(b), otherBlocks, ids);
        }
        return out;
    }

    private static Block[] finish(Block[] side, Block[] other) {
        Block[] out = new Block[side.length];
        for (int b = 0; b < side.length; b++) {
            int[][] asked = new int[other.length][];
            for (Block o : other) {
                asked[o.id] = o.neededFrom(b);
            }
            out[b] = side[b].withOutgoing(side[b].outgoing(asked));
        }
        return out;
    }

    @Test
    void eachBlockHoldsItsRowsRatingsInTheSingleMachineOrder() {
        Ratings r = ratings();
        Block[][] blocks = layout(r);
        for (Block.Side side : Block.Side.values()) {
            SparseView view = side == Block.Side.USERS ? r.byUser() : r.byItem();
            int seen = 0;
            for (Block b : blocks[side.ordinal()]) {
                for (int t = 0; t < b.rows.length; t++) {
                    int g = b.rows[t];
                    assertEquals(b.id, BlockPartitioner.blockOf(g, blocks[side.ordinal()].length), "block of row " + g);
                    int[] cols = new int[b.ptr[t + 1] - b.ptr[t]];
                    double[] vals = new double[cols.length];
                    for (int e = b.ptr[t]; e < b.ptr[t + 1]; e++) {
                        cols[e - b.ptr[t]] = b.needed[b.col[e]];
                        vals[e - b.ptr[t]] = b.val[e];
                    }
                    int[] expectedCols = new int[view.count(g)];
                    double[] expectedVals = new double[view.count(g)];
                    for (int e = view.start(g); e < view.end(g); e++) {
                        expectedCols[e - view.start(g)] = view.index(e);
                        expectedVals[e - view.start(g)] = view.value(e);
                    }
                    assertArrayEquals(expectedCols, cols, side + " row " + g);
                    assertArrayEquals(expectedVals, vals, 0.0, side + " row " + g);
                    seen++;
                }
            }
            assertEquals(view.rows(), seen, side + " rows in all blocks");
        }
    }

    @Test
    void whatABlockShipsIsExactlyWhatTheOtherNeeds() {
        Block[][] blocks = layout(ratings());
        for (Block.Side side : Block.Side.values()) {
            Block[] mine = blocks[side.ordinal()];
            Block[] theirs = blocks[1 - side.ordinal()];
            for (Block b : mine) {
                for (Block d : theirs) {
                    int[] shipped = new int[b.toBlock[d.id].length];
                    for (int t = 0; t < shipped.length; t++) {
                        shipped[t] = b.rows[b.toBlock[d.id][t]];
                    }
                    assertArrayEquals(d.neededFrom(b.id), shipped, side + " block " + b.id + " to block " + d.id);
                }
            }
        }
    }

    @Test
    void aBlockSolvesItsRowsBitForBitAsTheSingleMachineStep() {
        Ratings r = ratings();
        Block[][] blocks = layout(r);
        int k = 3;
        FactorMatrix users = new FactorMatrix(r.numUsers(), k);
        Initialization.RANDOM.fill(users, 5);
        Regularizer reg = Regularizer.weighted(0.1);
        FactorMatrix expected = new FactorMatrix(r.numItems(), k);
        try (LeastSquaresStep step = ExecutorSolvers.get("java").newStep(k, 1)) {
            step.solve(r.byItem(), users, reg, expected);
        }
        StepSpec spec = new StepSpec("java", k, false, 0, "weighted", 0.1, null, 1, 5, Initialization.RANDOM,
                ids(r), null, false);
        for (Block item : blocks[1]) {
            List<Tuple2<Integer, Shipment>> inbox = new ArrayList<>();
            for (Block user : blocks[0]) {
                int[] local = user.toBlock[item.id];
                if (local.length == 0) {
                    continue;
                }
                double[] rows = new double[local.length * k];
                for (int t = 0; t < local.length; t++) {
                    System.arraycopy(users.data(), user.rows[local[t]] * k, rows, t * k, k);
                }
                inbox.add(0, new Tuple2<>(item.id, new Shipment(user.id, rows)));   // any arrival order
            }
            Iterator<Tuple2<Integer, Shipment>> it = inbox.iterator();
            Factors solved = HalfStep.solve(item, null, it, spec, null, HalfStep.Measure.ERROR_AND_PENALTY, 1);
            for (int t = 0; t < item.rows.length; t++) {
                for (int c = 0; c < k; c++) {
                    assertEquals(Double.doubleToLongBits(expected.get(item.rows[t], c)),
                            Double.doubleToLongBits(solved.data[t * k + c]), "item " + item.rows[t] + ", column " + c);
                }
            }
        }
    }

    @Test
    void aRepeatedPairIsRefused() {
        IdTables ids = new IdTables(IdTable.numeric(new long[] {7}), IdTable.numeric(new long[] {9}), "test");
        Chunk c = new Chunk(4);
        c.add(0, 0, 1);
        c.add(0, 0, 2);
        DuplicateRatingException e = assertThrows(DuplicateRatingException.class,
                () -> Block.build(Block.Side.USERS, 0, List.of(c), 1, ids));
        assertEquals("test: user 7 rated item 9 more than once; merge the repeats first (the Spark engine has no"
                + " --duplicates policy yet)", e.getMessage());
    }
}
