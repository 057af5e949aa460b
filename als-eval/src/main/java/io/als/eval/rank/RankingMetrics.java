package io.als.eval.rank;

import java.util.Arrays;

/**
 * Top-k accuracy of ranked lists against held-out relevant items, with binary relevance.
 * Each figure except coverage is computed per user and then averaged over the evaluated users
 * (every user counts once, whatever the size of their test set). docs/accuracy.md ("Ranking
 * metrics") defines them; in short, for a user with relevant set {@code R} and a ranked list
 * whose position {@code j} (1-based) holds a relevant item when {@code rel_j = 1}:
 * <pre>
 *   hits@k      = sum_{j <= k} rel_j
 *   precision@k = hits@k / k
 *   recall@k    = hits@k / min(k, |R|)
 *   DCG@k       = sum_{j <= k} rel_j / log2(j + 1);  IDCG@k = sum_{j <= min(k, |R|)} 1 / log2(j + 1)
 *   NDCG@k      = DCG@k / IDCG@k
 *   AP@k        = (1 / min(k, |R|)) sum_{j <= k} rel_j * hits@j / j        (MAP@k is its mean)
 *   hit rate@k  = 1 if hits@k > 0, else 0
 *   RR@k        = 1 / (position of the first relevant item) if it is within k, else 0   (MRR@k)
 *   coverage@k  = |union over users of their top k| / catalogue size
 * </pre>
 * Recall divides by {@code min(k, |R|)}, as LensKit's does, so that a user with more relevant
 * items than {@code k} can still score 1; the ideal DCG and AP's normaliser use the same
 * bound. A list shorter than {@code k} (a small catalogue) counts its missing places as misses:
 * precision still divides by {@code k}.
 */
public final class RankingMetrics {

    /**
     * Mean figures at one cutoff.
     *
     * @param k         the cutoff
     * @param users     users averaged over
     * @param precision mean precision@k
     * @param recall    mean recall@k
     * @param ndcg      mean NDCG@k
     * @param map       mean average precision at k
     * @param hitRate   share of users with a hit in their top k
     * @param mrr       mean reciprocal rank of the first hit within the top k
     * @param coverage  distinct items in the top k of any user over the catalogue size
     */
    public record Scores(int k, int users, double precision, double recall, double ndcg, double map, double hitRate,
                         double mrr, double coverage) {

        /** The figure of a metric by its name in {@link #NAMES}. */
        public double get(String metric) {
            return switch (metric) {
                case "precision" -> precision;
                case "recall" -> recall;
                case "ndcg" -> ndcg;
                case "map" -> map;
                case "hit_rate" -> hitRate;
                case "mrr" -> mrr;
                case "coverage" -> coverage;
                default -> throw new IllegalArgumentException("metric must be one of " + NAMES + " but was " + metric);
            };
        }
    }

    /** The metric names, in report order. */
    public static final java.util.List<String> NAMES = java.util.List.of("precision", "recall", "ndcg", "map",
            "hit_rate", "mrr", "coverage");

    private RankingMetrics() {
    }

    /** For each place of {@code ranked}, whether its item is in {@code relevantSorted} (ascending). */
    public static boolean[] hits(int[] ranked, int[] relevantSorted) {
        boolean[] out = new boolean[ranked.length];
        for (int j = 0; j < ranked.length; j++) {
            out[j] = Arrays.binarySearch(relevantSorted, ranked[j]) >= 0;
        }
        return out;
    }

    /** Relevant items among the first {@code k} places. */
    public static int hitCount(boolean[] hit, int k) {
        int n = 0;
        for (int j = 0; j < Math.min(k, hit.length); j++) {
            n += hit[j] ? 1 : 0;
        }
        return n;
    }

    public static double precision(boolean[] hit, int k) {
        return (double) hitCount(hit, k) / k;
    }

    public static double recall(boolean[] hit, int relevant, int k) {
        return (double) hitCount(hit, k) / Math.min(k, relevant);
    }

    public static double ndcg(boolean[] hit, int relevant, int k) {
        double dcg = 0;
        for (int j = 0; j < Math.min(k, hit.length); j++) {
            if (hit[j]) {
                dcg += discount(j);
            }
        }
        double ideal = 0;
        for (int j = 0; j < Math.min(k, relevant); j++) {
            ideal += discount(j);
        }
        return dcg / ideal;
    }

    public static double averagePrecision(boolean[] hit, int relevant, int k) {
        double sum = 0;
        int hits = 0;
        for (int j = 0; j < Math.min(k, hit.length); j++) {
            if (hit[j]) {
                hits++;
                sum += (double) hits / (j + 1);
            }
        }
        return sum / Math.min(k, relevant);
    }

    public static double hitRate(boolean[] hit, int k) {
        return hitCount(hit, k) > 0 ? 1 : 0;
    }

    public static double reciprocalRank(boolean[] hit, int k) {
        for (int j = 0; j < Math.min(k, hit.length); j++) {
            if (hit[j]) {
                return 1.0 / (j + 1);
            }
        }
        return 0;
    }

    /** {@code 1 / log2(j + 2)}: the discount of 0-based place {@code j}. */
    private static double discount(int j) {
        return Math.log(2) / Math.log(j + 2);
    }

    /**
     * The mean figures at cutoff {@code k}.
     *
     * @param ranked    each evaluated user's ranked list, best first (at least {@code k} long
     *                  unless the catalogue is smaller)
     * @param relevant  each user's relevant items, ascending, never empty
     * @param catalogue the number of items that could have been recommended
     */
    public static Scores of(int[][] ranked, int[][] relevant, int k, int catalogue) {
        if (ranked.length != relevant.length || ranked.length == 0) {
            throw new IllegalArgumentException("ranked lists and relevant sets must be as many, and at least one, but"
                    + " were " + ranked.length + " and " + relevant.length);
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1 but was " + k);
        }
        double p = 0;
        double r = 0;
        double n = 0;
        double ap = 0;
        double hr = 0;
        double rr = 0;
        boolean[] seen = new boolean[catalogue];
        int distinct = 0;
        for (int u = 0; u < ranked.length; u++) {
            if (relevant[u].length == 0) {
                throw new IllegalArgumentException("every evaluated user needs a relevant item but user " + u
                        + " had none");
            }
            boolean[] hit = hits(ranked[u], relevant[u]);
            int rel = relevant[u].length;
            p += precision(hit, k);
            r += recall(hit, rel, k);
            n += ndcg(hit, rel, k);
            ap += averagePrecision(hit, rel, k);
            hr += hitRate(hit, k);
            rr += reciprocalRank(hit, k);
            for (int j = 0; j < Math.min(k, ranked[u].length); j++) {
                if (!seen[ranked[u][j]]) {
                    seen[ranked[u][j]] = true;
                    distinct++;
                }
            }
        }
        int users = ranked.length;
        return new Scores(k, users, p / users, r / users, n / users, ap / users, hr / users, rr / users,
                (double) distinct / catalogue);
    }
}
