package io.als.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Sessions for the command line and the application. Under {@code spark-submit} the master and
 * the rest come from the submission; started any other way, the session runs on
 * {@code local[*]}, or the given master, bound to the loopback address with the web UI off
 * (nothing listens beyond this machine unless a cluster is named).
 */
public final class SparkSessions {
    /** The master when none is given. */
    public static final String DEFAULT_MASTER = "local[*]";
    /** Shuffle partitions of Spark SQL: its default of 200 only slows the small jobs of a fit. */
    static final String SQL_SHUFFLE_PARTITIONS = "8";

    private SparkSessions() {
    }

    /**
     * The session: an existing one, or a new one with {@code master} (or the submission's, or
     * {@value #DEFAULT_MASTER} when neither is given).
     */
    public static SparkSession getOrCreate(String appName, String master) {
        SparkConf conf = new SparkConf();
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (master != null && !master.isBlank()) {
            b.master(master);
        } else if (!conf.contains("spark.master")) {
            b.master(DEFAULT_MASTER);
        }
        if (!conf.contains("spark.submit.deployMode")) {
            // Not started by spark-submit: keep every listening socket on the loopback address.
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false");
        }
        if (!conf.contains("spark.sql.shuffle.partitions")) {
            b.config("spark.sql.shuffle.partitions", SQL_SHUFFLE_PARTITIONS);
        }
        if (master != null && !master.isBlank() && !master.trim().startsWith("local")
                && !conf.contains("spark.submit.deployMode") && !conf.contains("spark.jars")
                && !conf.contains("spark.executor.extraClassPath")) {
            // A cluster's executors need this project's classes, which spark-submit would ship in
            // the application jar. Started from a command (its driver on 127.0.0.1, so the cluster
            // runs on this machine), they take them from this JVM's class path.
            b.config("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        }
        return b.getOrCreate();
    }
}
