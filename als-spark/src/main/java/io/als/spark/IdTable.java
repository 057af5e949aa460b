package io.als.spark;

import io.als.api.IdIndex;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The ids of one side in sorted order, shipped to the executors (by broadcast) to turn each
 * rating's ids into dense indices: the same indices as {@link IdIndex} gives, since both
 * sort the same ids the same way (numbers numerically, text lexicographically).
 */
final class IdTable implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Sorted and distinct; null when the ids are text. */
    private final long[] numeric;
    /** Sorted and distinct; null when the ids are numbers. */
    private final String[] strings;

    private IdTable(long[] numeric, String[] strings) {
        this.numeric = numeric;
        this.strings = strings;
    }

    /** A table over sorted, distinct numeric ids (taken, not copied). */
    static IdTable numeric(long[] sortedDistinct) {
        return new IdTable(sortedDistinct, null);
    }

    /** A table over sorted, distinct text ids (taken, not copied). */
    static IdTable strings(String[] sortedDistinct) {
        return new IdTable(null, sortedDistinct);
    }

    boolean isNumeric() {
        return numeric != null;
    }

    int size() {
        return numeric != null ? numeric.length : strings.length;
    }

    /**
     * The dense index of a raw id from the input (an integral number or text), or -1. With
     * numeric ids, text is parsed; with text ids, a number is taken as its decimal text.
     */
    int indexOf(Object raw) {
        if (numeric != null) {
            long id = raw instanceof Number n ? n.longValue() : Long.parseLong(raw.toString());
            int at = Arrays.binarySearch(numeric, id);
            return at >= 0 ? at : -1;
        }
        int at = Arrays.binarySearch(strings, raw.toString());
        return at >= 0 ? at : -1;
    }

    /** The id at a dense index, as text. */
    String idAt(int index) {
        return numeric != null ? Long.toString(numeric[index]) : strings[index];
    }

    /** The id at a dense index as the value of a DataFrame column: a Long or a String. */
    Object valueAt(int index) {
        return numeric != null ? (Object) numeric[index] : strings[index];
    }

    /** The library's index over the same ids. */
    IdIndex toIndex() {
        return numeric != null ? IdIndex.ofNumeric(numeric) : IdIndex.ofStrings(strings);
    }
}
