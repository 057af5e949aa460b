package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void theCommandLineTurnsItOffWithQuietOrWithoutATerminal() {
        Args quiet = new Options().flag("quiet", "").parse("x", java.util.List.of("--quiet"));
        Cli cli = new Cli(System.out, System.err, java.util.Map.of(), new java.util.Properties());
        try (ProgressBar bar = ProgressBar.forCli(quiet, cli)) {
            assertTrue(!bar.enabled());
        }
        // Under Surefire stderr is a pipe, so there is no console either.
        Args none = new Options().flag("quiet", "").parse("x", java.util.List.of());
        try (ProgressBar bar = ProgressBar.forCli(none, cli)) {
            assertEquals(System.console() != null, bar.enabled());
        }
    }

    @Test
    void remainingTimeReadsAsAClock() {
        assertEquals("0:07", ProgressBar.clock(7.2));
        assertEquals("2:05", ProgressBar.clock(125));
        assertEquals("1:01:01", ProgressBar.clock(3661));
    }
}
