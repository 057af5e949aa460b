package io.als.spark;

import java.io.Serializable;

/**
 * Factor rows that one block of the fixed side sends to one block of the side being solved:
 * exactly the rows that block's ratings name, in increasing index order, {@code width}
 * values each (see {@link Block#toBlock} and {@link Block#fromBlock}). The rows travel as
 * doubles, or, when the fit ships floats ({@link SparkAls.Builder#shipFloats}), rounded to
 * floats, which halves the shuffle; the receiving block widens them back to doubles.
 */
final class Shipment implements Serializable {
    private static final long serialVersionUID = 2L;

    /** The sending block. */
    final int from;
    /** The rows, row-major, as doubles; null when they travel as floats. */
    private final double[] rows;
    /** The rows, row-major, rounded to floats; null when they travel as doubles. */
    private final float[] floats;

    Shipment(int from, double[] rows) {
        this.from = from;
        this.rows = rows;
        this.floats = null;
    }

    /** The rows {@code local} of {@code data} ({@code width} values each), as doubles or rounded to floats. */
    static Shipment of(int from, double[] data, int[] local, int width, boolean asFloats) {
        if (!asFloats) {
            double[] rows = new double[local.length * width];
            for (int t = 0; t < local.length; t++) {
                System.arraycopy(data, local[t] * width, rows, t * width, width);
            }
            return new Shipment(from, rows);
        }
        float[] rows = new float[local.length * width];
        for (int t = 0; t < local.length; t++) {
            int src = local[t] * width;
            for (int c = 0; c < width; c++) {
                rows[t * width + c] = (float) data[src + c];
            }
        }
        return new Shipment(from, rows);
    }

    private Shipment(int from, float[] floats) {
        this.from = from;
        this.rows = null;
        this.floats = floats;
    }

    /** The number of values shipped. */
    int length() {
        return rows != null ? rows.length : floats.length;
    }

    /** Copies shipped row {@code t} ({@code width} values) into {@code dst} at {@code at}. */
    void copyRow(int t, int width, double[] dst, int at) {
        if (rows != null) {
            System.arraycopy(rows, t * width, dst, at, width);
        } else {
            for (int c = 0; c < width; c++) {
                dst[at + c] = floats[t * width + c];
            }
        }
    }
}
