package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void aDisabledBarWritesNothing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ProgressBar bar = ProgressBar.to(new PrintStream(err, true, StandardCharsets.UTF_8), false)) {
            bar.update(1, 2, "half");
        }
        assertEquals(0, err.size());
    }

    @Test
    void anEnabledBarRedrawsInPlaceAndClearsItself() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ProgressBar bar = ProgressBar.to(new PrintStream(err, true, StandardCharsets.UTF_8), true)) {
            bar.update(3, 3, "fold 3/3");
        }
        String s = err.toString(StandardCharsets.UTF_8);
        assertTrue(s.startsWith("\r[" + "#".repeat(30) + "] 100%  fold 3/3"), s);
        assertTrue(s.endsWith("\r"), "ends by blanking the line");
        assertTrue(!s.contains("\n"), "never starts a new line");
    }

    @Test
    void itDrawsOnlyWhenTheScriptSaysStderrIsATerminalAndNotQuiet() {
        java.util.Map<String, String> tty = java.util.Map.of(ProgressBar.STDERR_TTY, "1");
        assertTrue(ProgressBar.draws(false, tty));
        assertFalse(ProgressBar.draws(true, tty), "--quiet");
        assertFalse(ProgressBar.draws(false, java.util.Map.of(ProgressBar.STDERR_TTY, "0")), "stderr redirected");
        assertFalse(ProgressBar.draws(false, java.util.Map.of()), "java started without the script");
        // Whatever stdout is: the decision reads only the variable (System.console() answers for stdout).
        Args none = new Options().flag("quiet", "").parse("x", java.util.List.of());
        Args quiet = new Options().flag("quiet", "").parse("x", java.util.List.of("--quiet"));
        Cli terminal = new Cli(System.out, System.err, tty, new java.util.Properties());
        try (ProgressBar bar = ProgressBar.forCli(none, terminal)) {
            assertTrue(bar.enabled());
        }
        try (ProgressBar bar = ProgressBar.forCli(quiet, terminal)) {
            assertFalse(bar.enabled());
        }
    }

    @Test
    void theScriptExportsTheVariableFromTheTestOfStderr() throws java.io.IOException {
        String script = java.nio.file.Files.readString(java.nio.file.Path.of("..", "als"));
        assertTrue(script.contains("if [ -t 2 ]; then export " + ProgressBar.STDERR_TTY + "=1; else export "
                + ProgressBar.STDERR_TTY + "=0; fi"), "als sets " + ProgressBar.STDERR_TTY);
    }

    @Test
    void theTotalCountsSamplingSweeps() {
        io.als.api.AlsConfig plain = io.als.api.AlsConfig.plain().iterations(10).build();
        io.als.api.AlsConfig sampled = io.als.api.AlsConfig.builder().iterations(10).samples(200).build();
        assertEquals(10, EvalOptions.sweeps(plain));
        assertEquals(210, EvalOptions.sweeps(sampled));
    }

    @Test
    void remainingTimeReadsAsAClock() {
        assertEquals("0:07", ProgressBar.clock(7.2));
        assertEquals("2:05", ProgressBar.clock(125));
        assertEquals("1:01:01", ProgressBar.clock(3661));
    }
}
