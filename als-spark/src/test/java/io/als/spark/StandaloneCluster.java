package io.als.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark standalone cluster of separate JVMs on 127.0.0.1: one master and one worker, each
 * started from this JVM's class path (no Spark installation needed), and the executors the
 * worker starts for an application. Every socket is on the loopback address: the processes get
 * {@code SPARK_LOCAL_IP=127.0.0.1} and explicit {@code --host 127.0.0.1}.
 *
 * <p>The worker builds executor command lines from {@code SPARK_HOME}; here that is an empty
 * directory with an empty {@code jars} folder, and the executors get their classes from
 * {@code spark.executor.extraClassPath}, this JVM's class path.
 */
final class StandaloneCluster implements AutoCloseable {
    /** How long the master and the worker get to come up. */
    private static final long START_SECONDS = 90;

    private final Path home;
    private final int masterPort;
    private final Process master;
    private final Process worker;

    private StandaloneCluster(Path home, int masterPort, Process master, Process worker) {
        this.home = home;
        this.masterPort = masterPort;
        this.master = master;
        this.worker = worker;
    }

    /** Starts a master and a worker with {@code cores} cores and {@code memory} (e.g. 2g) for executors. */
    static StandaloneCluster start(int cores, String memory) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("als-spark-cluster");
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("work"));
        int masterPort = freePort();
        Process master = launch(home, "master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(freePort())));
        Process worker = null;
        try {
            awaitPort(masterPort, master, home.resolve("master.log"));
            worker = launch(home, "worker", List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--webui-port", Integer.toString(freePort()), "--cores", Integer.toString(cores), "--memory", memory,
                    "--work-dir", home.resolve("work").toString(), "spark://127.0.0.1:" + masterPort));
            return new StandaloneCluster(home, masterPort, master, worker);
        } catch (IOException | RuntimeException | InterruptedException e) {
            stop(worker);
            stop(master);
            throw e;
        }
    }

    String url() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /**
     * A driver session in this JVM for the cluster, with {@code executors} executors of one core
     * each, waiting until they have registered.
     */
    SparkSession session(int executors) throws InterruptedException {
        String flags = System.getProperty("als.spark.jvmFlags", "");
        SparkSession spark;
        try {
            spark = builder(flags, executors).getOrCreate();
        } catch (RuntimeException e) {
            throw new IllegalStateException("the driver could not start on " + url() + "; " + logs(), e);
        }
        return awaitExecutors(spark, executors);
    }

    private SparkSession.Builder builder(String flags, int executors) {
        return SparkSession.builder().master(url()).appName("als-spark cluster test")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                .config("spark.executor.cores", "1").config("spark.cores.max", Integer.toString(executors))
                .config("spark.executor.memory", "1g")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.executor.extraJavaOptions", flags);
    }

    private SparkSession awaitExecutors(SparkSession spark, int executors) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        // The driver counts itself among the executors.
        while (spark.sparkContext().statusTracker().getExecutorInfos().length < executors + 1) {
            if (System.nanoTime() > deadline) {
                spark.stop();
                throw new IllegalStateException(executors + " executors did not register within " + START_SECONDS
                        + " s; " + logs());
            }
            Thread.sleep(200);
        }
        return spark;
    }

    /** The executor JVMs the worker runs now (its descendants running Spark's executor backend). */
    List<ProcessHandle> executors() {
        List<ProcessHandle> out = new ArrayList<>();
        worker.toHandle().descendants().forEach(p -> {
            if (commandLine(p).contains("CoarseGrainedExecutorBackend")) {
                out.add(p);
            }
        });
        return out;
    }

    /**
     * A process's command line. {@link ProcessHandle.Info#commandLine()} comes back empty for
     * the executors' (their class path is tens of kilobytes), so on Linux it is read from /proc.
     */
    private static String commandLine(ProcessHandle p) {
        Path proc = Path.of("/proc", Long.toString(p.pid()), "cmdline");
        try {
            return new String(Files.readAllBytes(proc), java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | UncheckedIOException gone) {
            return p.info().commandLine().orElse("");
        }
    }

    /** The last lines of the master's, the worker's and every executor's log, for failure messages. */
    String logs() {
        StringBuilder sb = new StringBuilder();
        sb.append("master log:\n").append(tail(home.resolve("master.log")));
        sb.append("\nworker log:\n").append(tail(home.resolve("worker.log")));
        try (var files = Files.walk(home.resolve("work"))) {
            for (Path p : files.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
                sb.append("\n").append(home.relativize(p)).append(":\n").append(tail(p));
            }
        } catch (IOException e) {
            sb.append("\n(no executor logs: ").append(e.getMessage()).append(')');
        }
        return sb.toString();
    }

    /** The last lines of the worker's log, for failure messages. */
    String workerLog() {
        return tail(home.resolve("worker.log"));
    }

    @Override
    public void close() {
        stop(worker);
        stop(master);
        try (var paths = Files.walk(home)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops a process we started (and its descendants, the executors), politely first. */
    private static void stop(Process p) {
        if (p == null) {
            return;
        }
        List<ProcessHandle> children = p.toHandle().descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle c : children) {
            if (c.isAlive()) {
                c.destroyForcibly();
            }
        }
    }

    private static Process launch(Path home, String name, List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String flags = System.getProperty("als.spark.jvmFlags", "");
        if (!flags.isBlank()) {
            cmd.addAll(Arrays.asList(flags.trim().split("\\s+")));
        }
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        // Otherwise the launcher looks for a Spark source build under SPARK_HOME to learn it.
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("SPARK_MASTER_HOST");
        env.remove("SPARK_PUBLIC_DNS");
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port, Process owner, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!owner.isAlive()) {
                throw new IllegalStateException("the process exited with " + owner.exitValue() + "; log:\n" + tail(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("nothing listened on 127.0.0.1:" + port + " within " + START_SECONDS
                + " s; log:\n" + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The class path entries, for messages. */
    static String classPathSummary() {
        return System.getProperty("java.class.path").split(File.pathSeparator).length + " class path entries";
    }
}
