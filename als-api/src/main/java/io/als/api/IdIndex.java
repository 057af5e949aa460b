package io.als.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * Maps external ids (all numeric, or all strings) to dense indices {@code 0..size()-1}.
 *
 * <p>Indices follow the sorted order of the ids (numeric order for numeric ids, lexicographic
 * for strings), so the same set of ratings gives the same indices, and hence the same model,
 * whatever order its lines come in. Look-ups are binary searches. Immutable.
 */
public final class IdIndex {
    private final long[] numeric;   // sorted, null when ids are strings
    private final String[] strings; // sorted, null when ids are numeric

    private IdIndex(long[] numeric, String[] strings) {
        this.numeric = numeric;
        this.strings = strings;
    }

    /** An index over distinct numeric ids, given in any order. */
    public static IdIndex ofNumeric(long... ids) {
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("ids must be distinct but " + sorted[i] + " repeats");
            }
        }
        return new IdIndex(sorted, null);
    }

    /** An index over distinct string ids, given in any order. */
    public static IdIndex ofStrings(String... ids) {
        String[] sorted = ids.clone();
        for (String id : sorted) {
            Objects.requireNonNull(id, "ids must not be null");
        }
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i].equals(sorted[i - 1])) {
                throw new IllegalArgumentException("ids must be distinct but \"" + sorted[i] + "\" repeats");
            }
        }
        return new IdIndex(null, sorted);
    }

    /** {@code 0..n-1} as numeric ids, for matrices built directly in code. */
    public static IdIndex dense(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("the number of ids must be at least 0 but was " + n);
        }
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        return new IdIndex(ids, null);
    }

    static IdIndex sortedNumeric(long[] sortedDistinct) {
        return new IdIndex(sortedDistinct, null);
    }

    static IdIndex sortedStrings(String[] sortedDistinct) {
        return new IdIndex(null, sortedDistinct);
    }

    public int size() {
        return numeric != null ? numeric.length : strings.length;
    }

    public boolean isNumeric() {
        return numeric != null;
    }

    /** The dense index of a numeric id, or -1 when unknown (always -1 for string ids). */
    public int indexOf(long id) {
        if (numeric == null) {
            return -1;
        }
        int at = Arrays.binarySearch(numeric, id);
        return at >= 0 ? at : -1;
    }

    /**
     * The dense index of an id given as text, or -1 when unknown. For numeric ids the text
     * is parsed as a long; text that is not a number is unknown.
     */
    public int indexOf(String id) {
        Objects.requireNonNull(id, "an id must not be null");
        if (numeric != null) {
            try {
                return indexOf(Long.parseLong(id.trim()));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        int at = Arrays.binarySearch(strings, id);
        return at >= 0 ? at : -1;
    }

    /** The external id at a dense index, as text. */
    public String idAt(int index) {
        java.util.Objects.checkIndex(index, size());
        return numeric != null ? Long.toString(numeric[index]) : strings[index];
    }

    /** The numeric id at a dense index; only for numeric indexes. */
    public long numericIdAt(int index) {
        if (numeric == null) {
            throw new IllegalStateException("ids are strings, not numbers");
        }
        java.util.Objects.checkIndex(index, size());
        return numeric[index];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdIndex x && Arrays.equals(numeric, x.numeric) && Arrays.equals(strings, x.strings);
    }

    @Override
    public int hashCode() {
        return numeric != null ? Arrays.hashCode(numeric) : Arrays.hashCode(strings);
    }
}
