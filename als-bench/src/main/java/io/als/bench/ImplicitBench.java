package io.als.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.api.FitListener;
import io.als.api.ImplicitFeedback;
import io.als.api.Ratings;
import io.als.api.SolverRegistry;
import io.als.spi.Solver;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The implicit-feedback fit benchmark: whole fits through {@link AlternatingLeastSquares} with
 * {@code implicit true}, for each backend, rank and row solve (conjugate gradient or
 * Cholesky). For each it reports the median warm seconds per iteration (items then users;
 * the first iteration of every fit is left out, since it also pays the fit's set-up), the
 * whole fit's wall time (the {@code fit} call: views, confidence weights, initialisation and
 * every iteration), and the heap: the largest heap in use just after any collection during the
 * measured fits (live data; from the collectors' notifications) and the sum of the heap pools'
 * peaks (live data plus garbage not yet collected, an upper bound of what the heap held).
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -Xmx8g -cp 'als-bench/target/als-bench.jar:als-bench/target/lib/*' \
 *       io.als.bench.ImplicitBench --data lastfm --solvers vector --ranks 64 --solves cg --iterations 10 --fits 1
 * </pre>
 * {@code --data}: {@code lastfm} (the Last.fm-360K-shaped synthetic set of
 * {@link Datasets#lastfmShaped}, scale 1), {@code lastfm:0.1} (a tenth of it),
 * {@code ml-1m-pos} (the ratings of 4 and 5 of MovieLens 1M, {@link Datasets#movielensPositives})
 * or anything {@link FitBench#load} reads. Other flags: {@code --threads} (2),
 * {@code --iterations} (10), {@code --fits} measured after one warm-up fit of
 * {@code --warmup} iterations (default 3; 0 for none), {@code --cg-steps} (3), {@code --alpha} (1),
 * {@code --lambda} (0.1, the {@code ials} penalty), {@code --confidence linear|log}.
 */
public final class ImplicitBench {
    private static final long SEED = 20261130L;

    private ImplicitBench() {
    }

    public static void main(String[] argv) {
        Map<String, String> a = FitBench.parse(argv);
        String data = a.getOrDefault("data", "ml-1m-pos");
        List<String> solvers = a.containsKey("solvers") ? List.of(a.get("solvers").split(","))
                : new ArrayList<>(SolverRegistry.discover().names());
        int[] ranks = FitBench.ints(a.getOrDefault("ranks", "64"));
        List<String> solves = List.of(a.getOrDefault("solves", "cg,cholesky").split(","));
        int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
        int iterations = Integer.parseInt(a.getOrDefault("iterations", "10"));
        int fits = Integer.parseInt(a.getOrDefault("fits", "1"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "3"));
        int cgSteps = Integer.parseInt(a.getOrDefault("cg-steps", "3"));
        double alpha = Double.parseDouble(a.getOrDefault("alpha", "1"));
        double lambda = Double.parseDouble(a.getOrDefault("lambda", "0.1"));
        ImplicitFeedback.Confidence confidence = a.getOrDefault("confidence", "linear").equals("log")
                ? ImplicitFeedback.Confidence.LOG : ImplicitFeedback.Confidence.LINEAR;
        GcWatch gc = GcWatch.install();

        long t0 = System.nanoTime();
        Ratings ratings = load(data);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        FitBench.HeapMeter.collect();
        long dataHeap = FitBench.HeapMeter.usedAfterGc();
        System.out.printf(Locale.ROOT, "# ImplicitBench: %s, %d users, %d items, %d positives (made or read in %.1f s;"
                        + " heap in use with the data %.0f MB); %d thread(s), %d iterations, %d measured fit(s) after a"
                        + " %d-iteration warm-up; cg steps %d, alpha %s, %s confidence, ials lambda %s; max heap %.0f MB;"
                        + " load average %.2f%n", data, ratings.numUsers(), ratings.numItems(), ratings.size(),
                loadSeconds, dataHeap / 1e6, threads, iterations, fits, warmup, cgSteps, alpha, confidence, lambda,
                Runtime.getRuntime().maxMemory() / 1e6, load());
        SolverRegistry registry = SolverRegistry.discover();
        List<String> table = new ArrayList<>();
        table.add("| data | solver | rank | solve | s/iteration warm (median) | min | max | whole fit s (median) |"
                + " live heap after GC, peak MB | heap pools' peaks, sum MB | load |");
        table.add("|---|---|---|---|---|---|---|---|---|---|---|");
        for (String name : solvers) {
            Solver solver = registry.get(name.trim());
            for (int rank : ranks) {
                for (String solve : solves) {
                    ImplicitFeedback.RowSolve rowSolve = ImplicitFeedback.RowSolve.parse(solve);
                    AlsConfig.Builder b = AlsConfig.builder().implicit(true).rank(rank).threads(threads).seed(SEED)
                            .alpha(alpha).confidence(confidence).lambda(lambda).rowSolve(rowSolve)
                            .cgSteps(cgSteps);
                    if (warmup > 0) {
                        fit(ratings, b.iterations(warmup).build(), solver, new ArrayList<>());
                    }
                    AlsConfig config = b.iterations(iterations).build();
                    List<Double> perIteration = new ArrayList<>();
                    double[] whole = new double[fits];
                    FitBench.HeapMeter.collect();
                    gc.reset();
                    resetPools();
                    for (int f = 0; f < fits; f++) {
                        whole[f] = fit(ratings, config, solver, perIteration);
                    }
                    long pools = poolPeaks();
                    double[] s = perIteration.stream().mapToDouble(Double::doubleValue).toArray();
                    String row = String.format(Locale.ROOT, "| %s | %s | %d | %s | %.3f | %.3f | %.3f | %.2f | %.0f |"
                                    + " %.0f | %.2f |", data, solver.name(), rank, solve.trim(), Stats.median(s),
                            Stats.min(s), Stats.max(s), Stats.median(whole), gc.peakLive() / 1e6, pools / 1e6,
                            load());
                    System.out.println(row);
                    table.add(row);
                }
            }
        }
        System.out.println();
        table.forEach(System.out::println);
    }

    /** The data a spec names (see the class comment). */
    public static Ratings load(String spec) {
        if (spec.equals("ml-1m-pos")) {
            return Datasets.movielensPositives();
        }
        if (spec.equals("lastfm")) {
            return Datasets.lastfmShaped(1, SEED);
        }
        if (spec.startsWith("lastfm:")) {
            return Datasets.lastfmShaped(Double.parseDouble(spec.substring("lastfm:".length())), SEED);
        }
        return FitBench.load(spec);
    }

    /**
     * One fit; appends the wall seconds of its iterations after the first to {@code warm} and
     * returns the seconds of the whole {@code fit} call.
     */
    static double fit(Ratings ratings, AlsConfig config, Solver solver, List<Double> warm) {
        long[] last = {0};
        int[] seen = {0};
        FitListener listener = e -> {
            if (e.side() == FitListener.Side.USERS) {
                long now = System.nanoTime();
                if (seen[0]++ > 0) {
                    warm.add((now - last[0]) / 1e9);
                }
                last[0] = now;
            }
        };
        long t0 = System.nanoTime();
        new AlternatingLeastSquares(config, solver).fit(ratings, listener);
        return (System.nanoTime() - t0) / 1e9;
    }

    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void resetPools() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long poolPeaks() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** The largest heap in use just after a collection, from the collectors' notifications. */
    static final class GcWatch {
        private final AtomicLong peak = new AtomicLong();

        static GcWatch install() {
            GcWatch w = new GcWatch();
            java.util.Set<String> heapPools = new java.util.HashSet<>();
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) {
                    heapPools.add(p.getName());
                }
            }
            for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (bean instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener((n, h) -> {
                        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                            return;
                        }
                        GarbageCollectionNotificationInfo info =
                                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                        long used = 0;
                        for (Map.Entry<String, MemoryUsage> u : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                            if (heapPools.contains(u.getKey())) {
                                used += u.getValue().getUsed();
                            }
                        }
                        w.peak.accumulateAndGet(used, Math::max);
                    }, null, null);
                }
            }
            return w;
        }

        void reset() {
            peak.set(0);
        }

        long peakLive() {
            return peak.get();
        }
    }
}
