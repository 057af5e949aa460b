package io.als.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.als.cli.Cli;
import io.als.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./als train --engine spark --master spark://...} on a standalone cluster of this
 * machine (master, worker and executors on 127.0.0.1). A trial found that the executors never
 * got the project's classes this way (Spark failed with a ClassCastException of a serialised
 * lambda): spark-submit ships them in the application jar, the command did not.
 */
class CommandOnClusterTest {

    private static final List<String> SETTINGS = List.of("--rank", "4", "--iterations", "2", "--seed", "1",
            "--samples", "0", "--lambda", "0.1", "--regularizer", "weighted", "--biased", "false");

    /** Without the classes the executors' tasks fail and Spark retries: a failure, not a hang. */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theCommandFitsOnAStandaloneClusterAsOnOneMachine(@TempDir Path dir) throws Exception {
        Path data = LocalSpark.ml100k();
        Path local = dir.resolve("local.als");
        // With the engine's default backend (java): the local command's default, native, rounds differently.
        assertEquals(0, train(data, local, List.of("--solver", "java")), "local train");
        Path onCluster = dir.resolve("cluster.als");
        try (StandaloneCluster cluster = StandaloneCluster.start(2, "2g")) {
            assertEquals(0, train(data, onCluster, List.of("--engine", "spark", "--master", cluster.url(), "--blocks",
                    "4", "--checkpoint-dir", Files.createDirectories(dir.resolve("checkpoints")).toString())));
        }
        assertArrayEquals(Files.readAllBytes(local), Files.readAllBytes(onCluster), "model files");
    }

    private static int train(Path data, Path out, List<String> more) {
        List<String> argv = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString()));
        argv.addAll(SETTINGS);
        argv.addAll(more);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), new Properties());
        int code = Main.run(argv.toArray(new String[0]), cli);
        if (code != 0) {
            System.err.println(err.toString(StandardCharsets.UTF_8));
        }
        return code;
    }
}
