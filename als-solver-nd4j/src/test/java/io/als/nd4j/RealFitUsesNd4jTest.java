package io.als.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a fresh JVM ({@link Nd4jFitProbe}): a real fit with the nd4j solver starts ND4J's CPU
 * backend (its native library is mapped by the fit, not before), and afterwards OpenBLAS
 * runs the thread count the host had set before ND4J was loaded, and ND4J's default data
 * type is still its own default, FLOAT.
 */
class RealFitUsesNd4jTest {
    private static final long TIMEOUT_SECONDS = 90;

    @Test
    void aFitStartsNd4jAndLeavesTheProcessAsItFoundIt(@TempDir Path tmp) throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        Process p = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath,
                Nd4jFitProbe.class.getName()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertTrue(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "probe did not finish in " + TIMEOUT_SECONDS + " s");
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "probe failed:\n" + stderr);
        assertTrue(stderr.contains("nd4j-before-fit=false"), "ND4J was loaded before the fit:\n" + stderr);
        assertTrue(stderr.contains("nd4j-after-fit=true"), "the fit did not start ND4J:\n" + stderr);
        assertTrue(stderr.contains("backend=CpuBackend"), stderr);
        assertTrue(stderr.contains("threads-before=" + Nd4jFitProbe.HOST_THREADS
                + " threads-after=" + Nd4jFitProbe.HOST_THREADS), "OpenBLAS threads not restored:\n" + stderr);
        assertTrue(stderr.contains("default-type=FLOAT"), "ND4J's default type was changed:\n" + stderr);
        assertTrue(stderr.contains("finite=true"), stderr);
    }
}
