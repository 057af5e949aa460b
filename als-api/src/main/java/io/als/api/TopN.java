package io.als.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A ranked list from a {@link Recommender}: indices (items, or users for
 * {@link Recommender#similarUsers}) and their scores, best first, ties broken by the lower
 * index. Two compact arrays of the same length; this record owns them and hands out copies.
 *
 * @param indices the ranked indices
 * @param scores  their scores, non-increasing
 */
public record TopN(int[] indices, double[] scores) {

    static final TopN EMPTY = new TopN(new int[0], new double[0]);

    public TopN {
        if (indices.length != scores.length) {
            throw new IllegalArgumentException("indices and scores must have one length but had " + indices.length
                    + " and " + scores.length);
        }
        indices = indices.clone();
        scores = scores.clone();
    }

    /** A copy of the ranked indices. */
    @Override
    public int[] indices() {
        return indices.clone();
    }

    /** A copy of the scores. */
    @Override
    public double[] scores() {
        return scores.clone();
    }

    public int size() {
        return indices.length;
    }

    /** The index at rank {@code r} (0 is best). */
    public int index(int r) {
        return indices[r];
    }

    /** The score at rank {@code r}. */
    public double score(int r) {
        return scores[r];
    }

    /** The list with ids in place of indices. */
    public List<Model.Recommendation> withIds(IdIndex ids) {
        List<Model.Recommendation> out = new ArrayList<>(indices.length);
        for (int r = 0; r < indices.length; r++) {
            out.add(new Model.Recommendation(ids.idAt(indices[r]), scores[r]));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopN t && Arrays.equals(indices, t.indices) && Arrays.equals(scores, t.scores);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(indices) + Arrays.hashCode(scores);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TopN[");
        for (int r = 0; r < indices.length; r++) {
            sb.append(r == 0 ? "" : ", ").append(indices[r]).append('=').append(scores[r]);
        }
        return sb.append(']').toString();
    }
}
