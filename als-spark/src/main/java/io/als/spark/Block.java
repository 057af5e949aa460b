package io.als.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One block of rows of one side (users or items) and everything either half-step needs of it.
 * Row {@code g} of a side lives in block {@code g mod B}; within a block the rows are held in
 * increasing index order.
 *
 * <h2>As the side being solved (Spark's "in block")</h2>
 * The block's ratings in compressed rows: local row {@code r} (global row {@code rows[r]})
 * has entries {@code [ptr[r], ptr[r+1])}, each with a column {@code col[e]} and a value
 * {@code val[e]}. A column is a position in {@link #needed}, the sorted global indices of the
 * other side's rows that this block's ratings name. Because {@code needed} is sorted, the
 * columns of a row come in the same order as the other side's indices, which is the order
 * in which the single-machine fit visits them ({@code Ratings.byUser()}/{@code byItem()}).
 * The rows of {@code needed} arrive in one shipment per block of the other side:
 * the shipment of block {@code j} carries, in order, the rows to put at the positions
 * {@code fromBlock[j]} of the gathered matrix.
 *
 * <h2>As the side held fixed (Spark's "out block")</h2>
 * {@code toBlock[d]} lists the local rows (positions in {@link #rows}) that block {@code d}
 * of the other side needs, in increasing order; a half-step ships exactly those factor rows
 * to {@code d}, and nothing to a block that needs none.
 *
 * <p>Built once per fit and cached; never modified after it is built.
 */
final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Which side a block belongs to. */
    enum Side {
        USERS, ITEMS;

        String noun() {
            return this == USERS ? "user" : "item";
        }
    }

    final Side side;
    /** The block number, {@code 0..B-1}. */
    final int id;
    /** Global indices of the block's rows, increasing. */
    final int[] rows;
    /** Compressed rows over {@link #needed}: row pointers ({@code rows.length + 1}). */
    final int[] ptr;
    /** Position in {@link #needed} of each entry's column; increasing within a row. */
    final int[] col;
    /** The rating of each entry. */
    final double[] val;
    /** Global indices of the other side's rows named by this block's ratings, increasing. */
    final int[] needed;
    /** Per block {@code j} of the other side: where its shipped rows go in {@link #needed}. */
    final int[][] fromBlock;
    /** Per block {@code d} of the other side: the local rows it needs from this block. */
    final int[][] toBlock;

    private Block(Side side, int id, int[] rows, int[] ptr, int[] col, double[] val, int[] needed, int[][] fromBlock,
                  int[][] toBlock) {
        this.side = side;
        this.id = id;
        this.rows = rows;
        this.ptr = ptr;
        this.col = col;
        this.val = val;
        this.needed = needed;
        this.fromBlock = fromBlock;
        this.toBlock = toBlock;
    }

    /** Ratings in this block. */
    int nnz() {
        return val.length;
    }

    /** The same block with its out-lists. */
    Block withOutgoing(int[][] outgoing) {
        return new Block(side, id, rows, ptr, col, val, needed, fromBlock, outgoing);
    }

    /**
     * The global indices of the other side's rows this block needs from block {@code j} of the
     * other side, increasing (what block {@code j} has to ship here).
     */
    int[] neededFrom(int j) {
        int[] pos = fromBlock[j];
        int[] out = new int[pos.length];
        for (int t = 0; t < pos.length; t++) {
            out[t] = needed[pos[t]];
        }
        return out;
    }

    /** A description for messages, e.g. {@code user block 3}. */
    String describe() {
        return side.noun() + " block " + id;
    }

    /**
     * Builds a block (without its out-lists, see {@link #withOutgoing}) from its ratings.
     *
     * @param side        the side whose rows this block holds
     * @param id          the block number
     * @param chunks      every rating whose row falls in this block; for the item side the
     *                    chunk's items are the rows and its users the columns
     * @param otherBlocks the number of blocks of the other side
     * @param ids         the ids of both sides, to name a repeated rating
     * @throws DuplicateRatingException when a (user, item) pair is rated twice
     */
    static Block build(Side side, int id, Iterable<Chunk> chunks, int otherBlocks, IdTables ids) {
        int n = 0;
        for (Chunk c : chunks) {
            n += c.size;
        }
        int[] rowOf = new int[n];
        int[] colOf = new int[n];
        double[] valOf = new double[n];
        int at = 0;
        for (Chunk c : chunks) {
            boolean users = side == Side.USERS;
            System.arraycopy(users ? c.users : c.items, 0, rowOf, at, c.size);
            System.arraycopy(users ? c.items : c.users, 0, colOf, at, c.size);
            System.arraycopy(c.values, 0, valOf, at, c.size);
            at += c.size;
        }
        int[] rows = sortedDistinct(rowOf);
        int[] needed = sortedDistinct(colOf);
        // Counting sort by local row, then each row's entries sorted by column.
        int[] ptr = new int[rows.length + 1];
        int[] localRow = new int[n];
        for (int e = 0; e < n; e++) {
            localRow[e] = Arrays.binarySearch(rows, rowOf[e]);
            ptr[localRow[e] + 1]++;
        }
        for (int r = 0; r < rows.length; r++) {
            ptr[r + 1] += ptr[r];
        }
        int[] fill = Arrays.copyOf(ptr, rows.length);
        int[] order = new int[n];
        for (int e = 0; e < n; e++) {
            order[fill[localRow[e]]++] = e;
        }
        int[] col = new int[n];
        double[] val = new double[n];
        long[] keys = new long[0];
        for (int r = 0; r < rows.length; r++) {
            int from = ptr[r];
            int len = ptr[r + 1] - from;
            if (keys.length < len) {
                keys = new long[Math.max(len, keys.length * 2)];
            }
            // Column in the high half, entry number in the low half: sorting the keys sorts by column.
            for (int t = 0; t < len; t++) {
                int e = order[from + t];
                keys[t] = ((long) colOf[e] << 32) | e;
            }
            Arrays.sort(keys, 0, len);
            for (int t = 0; t < len; t++) {
                int e = (int) keys[t];
                if (t > 0 && colOf[e] == (int) (keys[t - 1] >>> 32)) {
                    int u = side == Side.USERS ? rows[r] : colOf[e];
                    int i = side == Side.USERS ? colOf[e] : rows[r];
                    throw new DuplicateRatingException(ids.source(), ids.users().idAt(u), ids.items().idAt(i));
                }
                col[from + t] = Arrays.binarySearch(needed, colOf[e]);
                val[from + t] = valOf[e];
            }
        }
        int[][] fromBlock = positionsByBlock(needed, otherBlocks);
        return new Block(side, id, rows, ptr, col, val, needed, fromBlock, null);
    }

    /** Per block {@code j}: the positions {@code t} of {@code sorted} whose value lies in block {@code j}. */
    private static int[][] positionsByBlock(int[] sorted, int blocks) {
        int[] counts = new int[blocks];
        for (int g : sorted) {
            counts[BlockPartitioner.blockOf(g, blocks)]++;
        }
        int[][] out = new int[blocks][];
        for (int j = 0; j < blocks; j++) {
            out[j] = new int[counts[j]];
        }
        int[] fill = new int[blocks];
        for (int t = 0; t < sorted.length; t++) {
            int j = BlockPartitioner.blockOf(sorted[t], blocks);
            out[j][fill[j]++] = t;
        }
        return out;
    }

    /**
     * The out-lists of this block from what the other side's blocks asked for:
     * {@code asked[d]} holds the global indices block {@code d} needs (null when it needs none).
     */
    int[][] outgoing(int[][] asked) {
        int[][] out = new int[asked.length][];
        for (int d = 0; d < asked.length; d++) {
            int[] want = asked[d] == null ? new int[0] : asked[d];
            out[d] = new int[want.length];
            for (int t = 0; t < want.length; t++) {
                int local = Arrays.binarySearch(rows, want[t]);
                if (local < 0) {
                    throw new IllegalStateException(describe() + " was asked for row " + want[t] + ", which it does not"
                            + " hold");
                }
                out[d][t] = local;
            }
        }
        return out;
    }

    /** The distinct values of {@code a}, increasing. */
    private static int[] sortedDistinct(int[] a) {
        int[] s = a.clone();
        Arrays.sort(s);
        int m = 0;
        for (int t = 0; t < s.length; t++) {
            if (t == 0 || s[t] != s[t - 1]) {
                s[m++] = s[t];
            }
        }
        return Arrays.copyOf(s, m);
    }
}
