package io.als.eval.rank;

import io.als.api.Ratings;
import io.als.eval.Permutations;
import io.als.eval.cv.Split;
import io.als.eval.cv.Splits;
import io.als.eval.cv.TestRatings;
import io.als.spi.SparseView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How positives are cut into training and held-out items for top-N evaluation. Every protocol
 * holds out positives per user; a user is evaluated when it has at least
 * {@link #minPositives()} positives (and at least 2, so that one stays in training) and at
 * least one held-out positive of an item that training knows. Users with fewer positives stay
 * in training whole (except in the time split, where the future is never trained on). A
 * user's candidates are every training item it has no training positive of.
 *
 * <ul>
 *   <li>{@link Kind#HOLDOUT}: each eligible user's positives are shuffled (seeded) and
 *       {@code round(fraction * n)} of them, at least 1 and at most {@code n - 1}, are held out.</li>
 *   <li>{@link Kind#KFOLD}: each eligible user's positives are shuffled and dealt into
 *       {@code folds} folds, the deal carrying on from one user to the next so that the folds
 *       are equally large overall; split {@code f} holds out every user's fold {@code f}.</li>
 *   <li>{@link Kind#LAST}: leave-last-out: each eligible user's latest positive (the highest
 *       item index among equal times) is held out.</li>
 *   <li>{@link Kind#TIME}: a global time split: the positives at or after the time {@code T}
 *       that leaves {@code round(fraction * n)} positives after it (more when {@code T} is
 *       shared) are removed from training; those of eligible users that training still
 *       knows are held out.</li>
 * </ul>
 *
 * @param kind         which protocol
 * @param fraction     held-out fraction of {@link Kind#HOLDOUT} and {@link Kind#TIME}, in (0, 1)
 * @param folds        folds of {@link Kind#KFOLD}, at least 2
 * @param minPositives the fewest positives of an evaluated user, at least 1
 * @param seed         seeds the shuffles
 */
public record RankingProtocol(Kind kind, double fraction, int folds, int minPositives, long seed) {

    /** The protocols. */
    public enum Kind {
        HOLDOUT, KFOLD, LAST, TIME;

        public static Kind parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "holdout" -> HOLDOUT;
                case "kfold", "k-fold" -> KFOLD;
                case "last", "leave-last-out" -> LAST;
                case "time" -> TIME;
                default -> throw new IllegalArgumentException("protocol must be one of holdout, kfold, last, time but"
                        + " was '" + s + "'");
            };
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether the protocol needs the time of each rating. */
        public boolean needsTimes() {
            return this == LAST || this == TIME;
        }
    }

    public RankingProtocol {
        if (kind == null) {
            throw new IllegalArgumentException("protocol must be given");
        }
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("holdout fraction must be strictly between 0 and 1 but was " + fraction);
        }
        if (folds < 2) {
            throw new IllegalArgumentException("folds must be at least 2 but was " + folds);
        }
        if (minPositives < 1) {
            throw new IllegalArgumentException("min positives must be at least 1 but was " + minPositives);
        }
    }

    /** The splits of these positives (one, except for {@link Kind#KFOLD}). */
    public List<RankingSplit> splits(Positives data) {
        if (kind.needsTimes() && !data.timed()) {
            throw new IllegalArgumentException("the " + kind.label() + " protocol needs the time of each rating, and"
                    + " this data has none");
        }
        Ratings r = data.ratings();
        SparseView v = r.byUser();
        boolean[] eligible = new boolean[v.rows()];
        int most = 0;
        boolean any = false;
        for (int u = 0; u < eligible.length; u++) {
            eligible[u] = v.count(u) >= Math.max(2, minPositives);
            any |= eligible[u];
            most = Math.max(most, v.count(u));
        }
        if (!any) {
            throw new IllegalArgumentException("no user has the " + Math.max(2, minPositives) + " positives an"
                    + " evaluated user needs (min positives " + minPositives + "; at least 2, so that one stays in"
                    + " training): the most any user has is " + most);
        }
        return switch (kind) {
            case HOLDOUT -> List.of(holdout(r, eligible));
            case KFOLD -> kFold(r, eligible);
            case LAST -> List.of(build(r, last(v, eligible, data.times()), eligible, "last positive per user"));
            case TIME -> List.of(time(r, eligible, data.times()));
        };
    }

    /** A short description, e.g. "per-user holdout 0.2, users with at least 5 positives". */
    public String describe() {
        String what = switch (kind) {
            case HOLDOUT -> String.format(Locale.ROOT, "per-user holdout of %s", fraction);
            case KFOLD -> folds + "-fold per user";
            case LAST -> "leave-last-out";
            case TIME -> String.format(Locale.ROOT, "global time split, latest %s held out", fraction);
        };
        return what + ", users with at least " + Math.max(2, minPositives) + " positives";
    }

    private RankingSplit holdout(Ratings r, boolean[] eligible) {
        SparseView v = r.byUser();
        SplittableRandom rnd = new SplittableRandom(seed);
        boolean[] test = new boolean[v.nnz()];
        for (int u = 0; u < v.rows(); u++) {
            if (!eligible[u]) {
                continue;
            }
            int n = v.count(u);
            int held = (int) Math.max(1, Math.min(n - 1, Math.round(fraction * n)));
            int[] perm = Permutations.shuffled(n, rnd);
            for (int j = 0; j < held; j++) {
                test[v.start(u) + perm[j]] = true;
            }
        }
        return build(r, test, eligible, String.format(Locale.ROOT, "holdout %s per user", fraction));
    }

    private List<RankingSplit> kFold(Ratings r, boolean[] eligible) {
        SparseView v = r.byUser();
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] fold = new int[v.nnz()];
        Arrays.fill(fold, -1);
        int deal = 0;
        for (int u = 0; u < v.rows(); u++) {
            if (!eligible[u]) {
                continue;
            }
            int[] perm = Permutations.shuffled(v.count(u), rnd);
            for (int p : perm) {
                fold[v.start(u) + p] = deal++ % folds;
            }
        }
        List<RankingSplit> out = new ArrayList<>(folds);
        for (int f = 0; f < folds; f++) {
            boolean[] test = new boolean[fold.length];
            for (int e = 0; e < fold.length; e++) {
                test[e] = fold[e] == f;
            }
            out.add(build(r, test, eligible, "fold " + (f + 1) + " of " + folds + " per user"));
        }
        return out;
    }

    private static boolean[] last(SparseView v, boolean[] eligible, long[] times) {
        boolean[] test = new boolean[v.nnz()];
        for (int u = 0; u < v.rows(); u++) {
            if (!eligible[u]) {
                continue;
            }
            int latest = v.start(u);
            for (int e = v.start(u) + 1; e < v.end(u); e++) {
                if (times[e] >= times[latest]) {
                    latest = e;
                }
            }
            test[latest] = true;
        }
        return test;
    }

    private RankingSplit time(Ratings r, boolean[] eligible, long[] times) {
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        int held = (int) Math.max(1, Math.min(n - 1, Math.round(fraction * n)));
        long cut = sorted[n - held];
        boolean[] test = new boolean[n];
        for (int e = 0; e < n; e++) {
            test[e] = times[e] >= cut;
        }
        return build(r, test, eligible, String.format(Locale.ROOT, "time split at %d (latest %s)", cut, fraction));
    }

    /**
     * Cuts the masked positives out of training and groups the held-out ones of eligible users
     * by user, dropping those of items (or users) that training no longer knows.
     */
    static RankingSplit build(Ratings r, boolean[] test, boolean[] eligible, String name) {
        Split cut = Splits.cut(r, test, name);
        TestRatings held = cut.test();
        int[] userMap = cut.userMap();
        boolean[] evaluable = new boolean[cut.train().numUsers()];
        for (int u = 0; u < eligible.length; u++) {
            if (eligible[u] && userMap[u] >= 0) {
                evaluable[userMap[u]] = true;
            }
        }
        int[] count = new int[evaluable.length];
        int coldItems = 0;
        int unevaluated = 0;
        for (int e = 0; e < held.size(); e++) {
            if (held.user(e) < 0 || !evaluable[held.user(e)]) {
                unevaluated++;
            } else if (held.item(e) < 0) {
                coldItems++;
            } else {
                count[held.user(e)]++;
            }
        }
        int[][] byUser = new int[count.length][];
        int users = 0;
        for (int u = 0; u < count.length; u++) {
            if (count[u] > 0) {
                byUser[u] = new int[count[u]];
                users++;
            }
        }
        int[] fill = new int[count.length];
        for (int e = 0; e < held.size(); e++) {
            int u = held.user(e);
            if (u >= 0 && evaluable[u] && held.item(e) >= 0) {
                byUser[u][fill[u]++] = held.item(e);
            }
        }
        int[] ids = new int[users];
        int[][] relevant = new int[users][];
        int j = 0;
        for (int u = 0; u < count.length; u++) {
            if (byUser[u] != null) {
                Arrays.sort(byUser[u]);
                ids[j] = u;
                relevant[j++] = byUser[u];
            }
        }
        return new RankingSplit(name, cut.train(), ids, relevant, coldItems, unevaluated);
    }
}
