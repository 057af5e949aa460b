package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.AlsConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defaults of {@code train --engine spark} ({@link EngineTrain#ENGINE_DEFAULTS}: no samples,
 * no lambda search) fill only what neither --config nor a flag set, so the usual precedence
 * (a flag wins over the file) holds with an engine too.
 */
class EngineDefaultsTest {

    private static AlsConfig config(Path dir, String file, String... flags) throws Exception {
        List<String> argv = new ArrayList<>(List.of(flags));
        if (file != null) {
            Path cfg = dir.resolve("als.properties");
            Files.writeString(cfg, file);
            argv.add("--config");
            argv.add(cfg.toString());
        }
        Args args = TrainingOptions.addTraining(new Options()).parse("train", argv);
        Cli cli = new Cli(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of(), new Properties());
        return TrainingOptions.config(args, cli, EngineTrain.ENGINE_DEFAULTS);
    }

    @Test
    void withNothingGivenThereAreNoSamplesAndNoSearch(@TempDir Path dir) throws Exception {
        AlsConfig c = config(dir, null);
        assertEquals(0, c.samples());
        assertFalse(c.lambdaAuto());
        assertEquals(AlsConfig.Defaults.lambdaFor(AlsConfig.Defaults.REGULARIZER), c.lambda());
        // Without the engine's defaults the same command samples and searches (the local defaults).
        Args none = TrainingOptions.addTraining(new Options()).parse("train", List.of());
        AlsConfig local = TrainingOptions.config(none, new Cli(System.out, System.err, Map.of(), new Properties()));
        assertTrue(local.samples() > 0 && local.lambdaAuto());
    }

    @Test
    void aFlagLambdaWinsOverTheFilesAuto(@TempDir Path dir) throws Exception {
        AlsConfig c = config(dir, "als.lambda = auto\n", "--lambda", "0.3");
        assertEquals(0.3, c.lambda());
        assertFalse(c.lambdaAuto(), "the flag's lambda, no search");
        assertEquals(0, c.samples());
    }

    @Test
    void whatTheFileOrAFlagSetsIsKeptForTheEngineToJudge(@TempDir Path dir) throws Exception {
        assertEquals(5, config(dir, "als.samples = 5\n").samples());
        assertEquals(7, config(dir, null, "--samples", "7").samples());
        assertTrue(config(dir, null, "--lambda", "auto").lambdaAuto(), "an explicit search is kept (and refused later)");
        assertTrue(config(dir, "als.lambda = auto\n").lambdaAuto());
    }
}
