package io.als.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A batch of ratings by dense indices: user, item and value arrays of equal length. Ratings
 * travel between partitions in chunks rather than one object each, which keeps Java
 * serialisation's per-object cost off every rating.
 */
final class Chunk implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Ratings per chunk before a new one is started. */
    static final int CAPACITY = 4096;

    int size;
    int[] users;
    int[] items;
    double[] values;

    Chunk(int capacity) {
        users = new int[capacity];
        items = new int[capacity];
        values = new double[capacity];
    }

    void add(int u, int i, double v) {
        if (size == users.length) {
            int cap = Math.max(16, size * 2);
            users = Arrays.copyOf(users, cap);
            items = Arrays.copyOf(items, cap);
            values = Arrays.copyOf(values, cap);
        }
        users[size] = u;
        items[size] = i;
        values[size] = v;
        size++;
    }

    boolean full() {
        return size >= CAPACITY;
    }

    /** The same ratings in arrays of exactly {@link #size}, so that nothing unused is shipped. */
    Chunk trimmed() {
        if (size == users.length) {
            return this;
        }
        Chunk c = new Chunk(0);
        c.size = size;
        c.users = Arrays.copyOf(users, size);
        c.items = Arrays.copyOf(items, size);
        c.values = Arrays.copyOf(values, size);
        return c;
    }
}
