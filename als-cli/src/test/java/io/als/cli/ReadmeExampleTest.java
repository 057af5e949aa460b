package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's library example, compiled and run exactly as the README prints it: the Java
 * block after the {@code <!-- example: QuickStart -->} marker is written to a file, compiled
 * against this module's test class path (the library, the java backend, Guice and logback,
 * which are what the README's Maven coordinates bring) and its {@code main} run on a small
 * ratings file.
 */
class ReadmeExampleTest {

    static String example() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int marker = readme.indexOf("<!-- example: QuickStart -->");
        assertTrue(marker >= 0, "README.md must hold the QuickStart example");
        int start = readme.indexOf("```java\n", marker) + "```java\n".length();
        int end = readme.indexOf("```", start);
        return readme.substring(start, end);
    }

    @Test
    void theReadmeExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("QuickStart.java");
        Files.writeString(source, example());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, null, diagnostics, "-d", dir.toString(),
                "-cp", System.getProperty("java.class.path"), source.toString());
        assertEquals(0, status, diagnostics.toString(StandardCharsets.UTF_8));

        // Users 196 and 1, items 242, 302 and 377: 196 has rated 242 and 302, so 377 is the
        // only item left to recommend to it.
        Path ratings = dir.resolve("u.data");
        Files.write(ratings, List.of("196\t242\t3\t881250949", "196\t302\t4\t891717742",
                "1\t242\t5\t874965758", "1\t377\t1\t878887116", "1\t302\t4\t875072484"));
        Path model = dir.resolve("model.als");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                getClass().getClassLoader())) {
            Method main = loader.loadClass("QuickStart").getMethod("main", String[].class);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[] {ratings.toString(), model.toString()});
        } finally {
            System.setOut(saved);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length, String.join("\n", lines));
        double prediction = Double.parseDouble(lines[0]);
        assertTrue(Double.isFinite(prediction), lines[0]);
        assertTrue(lines[1].contains("377") && !lines[1].contains("242"), lines[1]);
        assertEquals(lines[0], lines[2], "the two ways fit the same model");
        assertTrue(Files.size(model) > 0);
    }
}
