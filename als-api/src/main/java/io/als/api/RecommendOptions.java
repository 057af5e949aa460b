package io.als.api;

import io.als.internal.Checks;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which items a {@link Recommender} may return. Immutable; start from {@link #DEFAULTS} or
 * {@link #builder()}.
 *
 * <ul>
 *   <li>{@link #excludeTraining()} (default true): leave out the items the user has in the
 *       model's rated pattern. Folded-in users never get their given items back, whatever
 *       this says. Similarity queries ignore it.</li>
 *   <li>allow-list (default none, meaning every item): only these items may be returned.</li>
 *   <li>deny-list (default empty): these items are never returned; it wins over the
 *       allow-list.</li>
 *   <li>{@link #minSupport()} (default 0, which leaves nothing out): items with fewer
 *       training interactions than this, counted from the model's rated pattern, are never
 *       returned. A fitted model has at least one interaction per item, so 0 and 1 only
 *       differ for models built by hand.</li>
 * </ul>
 * Lists may name items by index and by id; both kinds are used together. An id the model
 * does not know is ignored (it could not be returned anyway); an index outside the model's
 * items is an {@link IllegalArgumentException} when the options are used. Asking for more
 * items than are eligible returns every eligible item.
 */
public final class RecommendOptions {

    /** Exclude training items, no lists, no minimum support. */
    public static final RecommendOptions DEFAULTS = builder().build();

    private final boolean excludeTraining;
    private final int minSupport;
    /** Null when there is no allow-list. */
    private final int[] allowIndices;
    private final Set<String> allowIds;
    private final int[] denyIndices;
    private final Set<String> denyIds;

    private RecommendOptions(Builder b) {
        this.excludeTraining = b.excludeTraining;
        this.minSupport = b.minSupport;
        this.allowIndices = b.allow ? b.allowIndices.stream().mapToInt(Integer::intValue).toArray() : null;
        this.allowIds = Set.copyOf(b.allowIds);
        this.denyIndices = b.denyIndices.stream().mapToInt(Integer::intValue).toArray();
        this.denyIds = Set.copyOf(b.denyIds);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder().excludeTraining(excludeTraining).minSupport(minSupport);
        if (allowIndices != null) {
            b.allowItems(allowIndices).allowItemIds(allowIds);
        }
        return b.denyItems(denyIndices).denyItemIds(denyIds);
    }

    public boolean excludeTraining() {
        return excludeTraining;
    }

    public int minSupport() {
        return minSupport;
    }

    /** Whether an allow-list was given (possibly empty, which allows nothing). */
    public boolean hasAllowList() {
        return allowIndices != null;
    }

    /**
     * Which of {@code numItems} items these options let through, before any per-user
     * exclusion: on the allow-list (when there is one), not on the deny-list, and with at
     * least {@link #minSupport()} training interactions.
     *
     * @param support training interactions per item index
     */
    boolean[] eligible(IdIndex itemIds, int[] support) {
        int n = itemIds.size();
        boolean[] ok = new boolean[n];
        if (allowIndices == null) {
            Arrays.fill(ok, true);
        } else {
            for (int i : allowIndices) {
                ok[checked(i, n, "allow")] = true;
            }
            for (String id : allowIds) {
                int i = itemIds.indexOf(id);
                if (i >= 0) {
                    ok[i] = true;
                }
            }
        }
        for (int i : denyIndices) {
            ok[checked(i, n, "deny")] = false;
        }
        for (String id : denyIds) {
            int i = itemIds.indexOf(id);
            if (i >= 0) {
                ok[i] = false;
            }
        }
        if (minSupport > 0) {
            for (int i = 0; i < n; i++) {
                if (support[i] < minSupport) {
                    ok[i] = false;
                }
            }
        }
        return ok;
    }

    private static int checked(int index, int n, String list) {
        if (index < 0 || index >= n) {
            throw new IllegalArgumentException(list + "-list item index must be in [0, " + n + ") but was " + index);
        }
        return index;
    }

    @Override
    public String toString() {
        return "RecommendOptions[excludeTraining " + excludeTraining + ", minSupport " + minSupport
                + (allowIndices == null ? "" : ", allow " + allowIndices.length + " indices and " + allowIds.size()
                + " ids") + ", deny " + denyIndices.length + " indices and " + denyIds.size() + " ids]";
    }

    /** Collects options; lists add up over calls. Not thread-safe. */
    public static final class Builder {
        private boolean excludeTraining = true;
        private int minSupport;
        private boolean allow;
        private final Set<Integer> allowIndices = new LinkedHashSet<>();
        private final Set<String> allowIds = new LinkedHashSet<>();
        private final Set<Integer> denyIndices = new LinkedHashSet<>();
        private final Set<String> denyIds = new LinkedHashSet<>();

        private Builder() {
        }

        /** Whether to leave out the user's training items (default true). */
        public Builder excludeTraining(boolean exclude) {
            this.excludeTraining = exclude;
            return this;
        }

        /** Items with fewer training interactions than this are never returned (default 0). */
        public Builder minSupport(int m) {
            this.minSupport = Checks.nonNegative("minSupport", m);
            return this;
        }

        /** Adds item indices to the allow-list (and makes there be one). */
        public Builder allowItems(int... indices) {
            allow = true;
            for (int i : indices) {
                allowIndices.add(i);
            }
            return this;
        }

        /** Adds item ids to the allow-list (and makes there be one). */
        public Builder allowItemIds(Collection<String> ids) {
            allow = true;
            ids.forEach(id -> allowIds.add(Objects.requireNonNull(id, "an allowed item id must not be null")));
            return this;
        }

        /** Adds item indices to the deny-list. */
        public Builder denyItems(int... indices) {
            for (int i : indices) {
                denyIndices.add(i);
            }
            return this;
        }

        /** Adds item ids to the deny-list. */
        public Builder denyItemIds(Collection<String> ids) {
            ids.forEach(id -> denyIds.add(Objects.requireNonNull(id, "a denied item id must not be null")));
            return this;
        }

        /** Adds item ids to the deny-list. */
        public Builder denyItemIds(String... ids) {
            return denyItemIds(java.util.Arrays.asList(ids));
        }

        /** Adds item ids to the allow-list. */
        public Builder allowItemIds(String... ids) {
            return allowItemIds(java.util.Arrays.asList(ids));
        }

        public RecommendOptions build() {
            return new RecommendOptions(this);
        }
    }
}
