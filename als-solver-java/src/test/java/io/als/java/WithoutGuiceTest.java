package io.als.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A user who constructs the driver with a solver object does not need Guice: a fresh JVM whose
 * class path is this module's minus Guice and its dependencies (Guava, jakarta.inject,
 * aopalliance) fits a model. Were any class on that path to touch Guice, it would fail with
 * a NoClassDefFoundError.
 */
class WithoutGuiceTest {

    @Test
    void aPlainFitRunsWithoutGuiceOnTheClassPath() throws Exception {
        List<String> all = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> kept = all.stream()
                .filter(e -> !e.matches(".*(guice|guava|jakarta\\.inject|aopalliance|failureaccess).*"))
                .collect(Collectors.toList());
        assertTrue(kept.size() < all.size(), "Guice was on the test class path to begin with");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", String.join(File.pathSeparator, kept), PlainFitProbe.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("prediction "), out);
        assertFalse(out.contains("NoClassDefFoundError"), out);
    }
}
