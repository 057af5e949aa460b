package io.als.spark;

import java.io.Serializable;

/**
 * Factor rows that one block of the fixed side sends to one block of the side being solved:
 * exactly the rows that block's ratings name, in increasing index order, {@code width}
 * values each (see {@link Block#toBlock} and {@link Block#fromBlock}).
 */
final class Shipment implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The sending block. */
    final int from;
    /** The rows, row-major. */
    final double[] rows;

    Shipment(int from, double[] rows) {
        this.from = from;
        this.rows = rows;
    }
}
