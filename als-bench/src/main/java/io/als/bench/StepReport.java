package io.als.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link StepBenchmark} and {@link DgemmBenchmark} in one JMH run and turns the times
 * into effective GFLOP/s ({@link Flops#FORMULA}) and the ratio to the DGEMM rate measured in
 * that run at the same thread count. Arguments (all optional, comma-separated lists):
 * <pre>
 *   java -cp 'als-bench/target/als-bench.jar:als-bench/target/lib/*' io.als.bench.StepReport \
 *       --solvers ejml,nd4j --ranks 8,16,32,64,128 --threads 1,2
 * </pre>
 */
public final class StepReport {
    private StepReport() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new TreeMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            a.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        ChainedOptionsBuilder opt = new OptionsBuilder()
                .include(StepBenchmark.class.getName() + ".solve")
                .include(DgemmBenchmark.class.getName() + ".multiply");
        if (a.containsKey("solvers")) {
            opt.param("solver", a.get("solvers").split(","));
        }
        if (a.containsKey("ranks")) {
            opt.param("rank", a.get("ranks").split(","));
        }
        if (a.containsKey("threads")) {
            opt.param("threads", a.get("threads").split(","));
        }
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Collection<RunResult> results = new Runner(opt.build()).run();
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        Map<Integer, Double> dgemm = new TreeMap<>();
        List<RunResult> steps = new ArrayList<>();
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("multiply")) {
                int n = Integer.parseInt(r.getParams().getParam("n"));
                double ms = r.getPrimaryResult().getScore();
                dgemm.put(Integer.parseInt(r.getParams().getParam("threads")), 2.0 * n * n * n / (ms / 1e3) / 1e9);
            } else {
                steps.add(r);
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "load average %.2f before, %.2f after; %s%n", loadBefore, loadAfter,
                Flops.FORMULA);
        dgemm.forEach((t, g) -> System.out.printf(Locale.ROOT, "DGEMM n=2000, %d thread(s): %.1f GFLOP/s%n", t, g));
        System.out.println("| solver | rank | threads | rows | ms per step | GFLOP/s | % of DGEMM (same threads) |");
        System.out.println("|---|---|---|---|---|---|---|");
        Map<String, Double> flopsCache = new TreeMap<>();
        for (RunResult r : steps) {
            int rank = Integer.parseInt(r.getParams().getParam("rank"));
            int rows = Integer.parseInt(r.getParams().getParam("rows"));
            int threads = Integer.parseInt(r.getParams().getParam("threads"));
            double flops = flopsCache.computeIfAbsent(rows + "/" + rank, k -> StepBenchmark.flops(rows, rank));
            double ms = r.getPrimaryResult().getScore();
            double gflops = flops / (ms / 1e3) / 1e9;
            Double ceiling = dgemm.get(threads);
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.3f | %.2f | %s |%n", r.getParams().getParam("solver"),
                    rank, threads, rows, ms, gflops,
                    ceiling == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * gflops / ceiling));
        }
    }
}
