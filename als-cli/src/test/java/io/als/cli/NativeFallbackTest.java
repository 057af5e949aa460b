package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the native kernels cannot load (here: a temporary directory that does not exist, so
 * the library cannot be written out), the default backend falls back to java and says so
 * once, and an explicit --solver native is refused before the data is read, saying why. Each
 * case runs in a JVM of its own, since a JVM loads the library once.
 */
class NativeFallbackTest {
    @TempDir
    Path dir;

    private MainTest.Run child(String... argv) throws Exception {
        // Only where the library loads in a normal JVM (Linux on x86-64) is its failure to load a
        // case to provoke.
        org.junit.jupiter.api.Assumptions.assumeTrue(io.als.natives.NativeSolver.available(),
                "the native kernels do not load on this platform");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // The command's own logging (INFO on stderr), not the tests' quieter one.
                "-Dlogback.configurationFile=logback.xml", "-Djava.io.tmpdir=" + dir.resolve("missing"), "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(argv));
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("child.out").toFile())
                .redirectError(dir.resolve("child.err").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child finished");
        return new MainTest.Run(p.exitValue(), Files.readString(dir.resolve("child.out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("child.err"), StandardCharsets.UTF_8));
    }

    @Test
    void theDefaultFallsBackToJavaAndSaysSoOnce() throws Exception {
        Path data = Files.writeString(dir.resolve("r.csv"), "1,1,5\n1,2,3\n2,1,4\n2,3,1\n3,2,2\n3,3,5\n");
        MainTest.Run r = child("train", "--data", data.toString(), "--out", dir.resolve("m.als").toString(),
                "--rank", "2", "--samples", "0", "--lambda", "0.1", "--iterations", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("trained java:"), r.out());
        String why = "default solver 'native' could not write its library to the temporary directory "
                + dir.resolve("missing") + " (NoSuchFileException: ";
        assertTrue(r.err().contains(why) && r.err().contains("; using 'java'"), r.err());
        assertEquals(r.err().indexOf(why), r.err().lastIndexOf(why), "said once: " + r.err());
    }

    @Test
    void theListingShowsTheBackendThatRuns() throws Exception {
        MainTest.Run r = child("solvers");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("java  (selected by default, since 'native' cannot run here)\n"), r.out());
        assertTrue(r.out().contains("native  (unavailable: could not write its library"), r.out());
        MainTest.Run json = child("solvers", "--json");
        assertTrue(json.out().contains("\"selected\":\"java\",\"selected_by\":\"default, since 'native' cannot run"
                + " here\",\"default\":\"native\""), json.out());
    }

    @Test
    void anExplicitNativeThatCannotLoadIsRefusedBeforeTheDataIsRead() throws Exception {
        MainTest.Run r = child("train", "--data", dir.resolve("no-such-file.csv").toString(), "--out",
                dir.resolve("m.als").toString(), "--solver", "native");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("solver 'native' (from --solver) could not write its library to the temporary"
                + " directory " + dir.resolve("missing")), r.err());
        assertFalse(r.err().contains("no-such-file"), "the data is not looked at: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }
}
