package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code train} says how large the model it wrote is: a sampled model keeps a copy of the
 * factors per sample unless compressed, so 200 samples can make a large file. And the default
 * model, compressed, is small and reads back as such.
 */
class ModelSizeLogTest {
    @TempDir
    Path dir;

    private static List<String> trainLog(String... argv) {
        return log(TrainCommand.class, argv);
    }

    /** What {@code source}'s logger logs at INFO and above while the command runs (which must exit 0). */
    static List<String> log(Class<?> source, String... argv) {
        // The test configuration (and any earlier --quiet in this JVM) may log less than INFO:
        // this logger logs INFO here, to this appender only.
        Logger logger = (Logger) LoggerFactory.getLogger(source);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        ch.qos.logback.classic.Level level = logger.getLevel();
        boolean additive = logger.isAdditive();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        logger.setAdditive(false);
        logger.addAppender(seen);
        try {
            MainTest.Run r = MainTest.run(argv);
            assertEquals(0, r.code(), r.err());
        } finally {
            logger.detachAppender(seen);
            logger.setLevel(level);
            logger.setAdditive(additive);
        }
        return seen.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aModelOf200SamplesStatesItsSizeInTheLog() throws Exception {
        Path model = dir.resolve("m200.als");
        List<String> log = trainLog("train", "--data", "synthetic:users=60,items=40,ratings=1200", "--out",
                model.toString(), "--rank", "2", "--iterations", "2", "--samples", "200", "--compress", "false",
                "--lambda", "2", "--noise", "1");
        long bytes = Files.size(model);
        String line = log.stream().filter(l -> l.startsWith("wrote model to ")).findFirst().orElseThrow();
        assertTrue(line.contains(String.format(Locale.ROOT, "%.2f MB (%d bytes", bytes / 1e6, bytes)), line);
        assertTrue(line.contains("rank 2, 200 sample(s) stored"), line);
        // 200 copies of (2 factors + 1 bias) for 100 users and items, 8 bytes each, at the least.
        assertTrue(bytes > 200L * 3 * 100 * 8, "size " + bytes);
    }

    @Test
    void theDefaultModelIsStoredCompressedAndSaysSo() throws Exception {
        Path model = dir.resolve("default.als");
        List<String> log = trainLog("train", "--data", "synthetic:users=60,items=40,ratings=1200", "--out",
                model.toString(), "--rank", "2");
        String line = log.stream().filter(l -> l.startsWith("wrote model to ")).findFirst().orElseThrow();
        assertTrue(line.contains("rank 4, 1 sample(s) stored"), line);
        MainTest.Run info = MainTest.run("info", "--model", model.toString(), "--json");
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("\"compressed\":true"), info.out());
        assertTrue(info.out().contains("\"samples\":100"), "the training info keeps the fit's samples: " + info.out());
        MainTest.Run text = MainTest.run("info", "--model", model.toString());
        assertTrue(text.out().contains("the average of 100 posterior samples of rank 2, stored compressed"),
                text.out());
        MainTest.Run p = MainTest.run("predict", "--model", model.toString(), "--user", "1", "--item", "1");
        assertEquals(0, p.code(), p.err());
    }

    /** {@code --init ones} at rank above 1 without sampling can only give a rank-1 model: train says so. */
    @Test
    void initOnesAtRankAboveOneIsWarnedAbout() {
        String[] fit = {"train", "--data", "synthetic:users=60,items=40,ratings=1200", "--rank", "3", "--iterations",
            "2", "--samples", "0", "--lambda", "1", "--init", "ones", "--out", dir.resolve("ones.als").toString()};
        List<String> log = log(io.als.api.AlternatingLeastSquares.class, fit);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("init ones with rank 3: every user starts with the same"
                + " factors")), String.join("\n", log));
        fit[4] = "1";
        fit[fit.length - 1] = dir.resolve("ones1.als").toString();
        assertTrue(log(io.als.api.AlternatingLeastSquares.class, fit).stream().noneMatch(l -> l.startsWith("init ones")));
    }
}
