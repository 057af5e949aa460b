package io.als.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a fresh JVM (natives loaded by an earlier test in this one would hide the effects):
 * selecting the solver loads nothing native, creating the first step does, and nothing at
 * all reaches stdout, even with ND4J's INFO logging switched on (it goes to stderr), so the
 * CLI's --json output stays parseable.
 */
class QuietStartupTest {
    private static final long TIMEOUT_SECONDS = 60;

    @Test
    void startUpIsLazyAndWritesNothingToStdout(@TempDir Path tmp) throws IOException, InterruptedException {
        Path logback = tmp.resolve("logback-info.xml");
        Files.writeString(logback, """
                <configuration>
                  <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
                  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>%-5level %logger - %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="STDERR"/></root>
                </configuration>
                """);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        Process p = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=" + logback,
                "-cp", classpath,
                StartupProbe.class.getName()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertTrue(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "probe did not finish in " + TIMEOUT_SECONDS + " s");
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "probe failed:" + File.separator + stderr);
        assertEquals("", stdout, "nothing may reach stdout; stderr was:\n" + stderr);
        assertTrue(stderr.contains("natives-before-step=false"), "the registry or the solver loaded natives:\n" + stderr);
        assertTrue(stderr.contains("natives-after-step=true"), stderr);
        assertTrue(stderr.contains("finite=true"), stderr);
        assertTrue(stderr.contains("org.nd4j"), "ND4J's start-up INFO lines are expected on stderr:\n" + stderr);
    }
}
