package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.DuplicatePolicy;
import io.als.api.Ratings;
import io.als.api.RatingsInputException;
import io.als.api.RatingsReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Hostile inputs for the loaders and the argument parser. The loaders may only succeed or
 * throw {@link RatingsInputException}; the command line may only exit 0, 1 or 2, never throw,
 * and after a non-zero exit no output file exists. Tries are bounded to keep the suite fast.
 * A failure prints its seed; {@code @Property(seed = "...")} on a copy replays it.
 */
class FuzzTest {
    private static final RatingsReader READER = new RatingsReader(null, DuplicatePolicy.ERROR);

    private static void readOrReject(byte[] bytes) {
        try {
            Ratings r = READER.read(new ByteArrayInputStream(bytes), "fuzz");
            assertTrue(r.size() > 0);
        } catch (RatingsInputException expected) {
            assertTrue(expected.getMessage().startsWith("fuzz"), expected.getMessage());
        } catch (IOException e) {
            throw new AssertionError("an I/O error from an in-memory stream: " + e, e);
        }
    }

    @Property(tries = 300)
    void randomBytesAreReadOrRejectedCleanly(@ForAll @Size(max = 300) byte[] bytes) {
        readOrReject(bytes);
    }

    @Property(tries = 300)
    void gzipMagicFollowedByGarbageIsRejectedCleanly(@ForAll @Size(max = 100) byte[] tail) {
        byte[] bytes = new byte[tail.length + 2];
        bytes[0] = 0x1f;
        bytes[1] = (byte) 0x8b;
        System.arraycopy(tail, 0, bytes, 2, tail.length);
        readOrReject(bytes);
    }

    @Provide
    Arbitrary<String> hostileLines() {
        Arbitrary<String> field = Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("1", "5", "3.5", "-0", "NaN", "Infinity", "-Infinity", "1e400", "1e-400", "0x10",
                        "99999999999999999999999", "", " ", "\u00a0", "\uFEFF", "é", "\"4\"", "4,5"),
                Arbitraries.strings().ofMaxLength(6));
        Arbitrary<String> sep = Arbitraries.of("\t", "::", ",", ";", " ", ":", "\t\t", ",,", "|");
        Arbitrary<String> line = Arbitraries.integers().between(0, 6).flatMap(n ->
                field.list().ofSize(n).flatMap(fields -> sep.map(s -> String.join(s, fields))));
        Arbitrary<String> ending = Arbitraries.of("\n", "\r\n", "\r", "");
        return line.list().ofMaxSize(12).flatMap(lines -> ending.map(e ->
                lines.stream().collect(Collectors.joining(e))));
    }

    @Property(tries = 400)
    void hostileLinesAreReadOrRejectedWithALineNumber(@ForAll("hostileLines") String text) {
        readOrReject(text.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 200)
    void truncatedValidFilesAreReadOrRejected(@ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 60) int cut) {
        String valid = "1::1::5::978300760\n1::2::3::978302109\n2::1::4::978301968\n2::3::1::978300275\n";
        readOrReject(valid.substring(0, Math.min(cut, valid.length())).getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<List<String>> argv() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of("train", "predict", "recommend", "solvers", "reference", "help", "cv", "bogus"),
                Arbitraries.of("--data", "--out", "--rank", "--lambda", "--regularizer", "--iterations", "--seed",
                        "--threads", "--solver", "--config", "--format", "--duplicates", "--scale", "--model",
                        "--user", "--item", "-n", "--json", "--quiet", "--init", "--tolerance", "--help", "-x", "--"),
                Arbitraries.of("DATA", "OUT", "0", "1", "-1", "2", "1e9", "abc", "ejml", "nosuch", "none", "l2",
                        "weighted", "ones", "random", "last", "mean", "1..5", "dat", "csv", "delim:;", "", "=",
                        "--rank=3", "--lambda=NaN", "99999999999", "1.5", "delim:,:headr", "maybe", "vectr"),
                Arbitraries.strings().ofMaxLength(5));
        return token.list().ofMaxSize(8);
    }

    @Property(tries = 250)
    void theArgumentParserNeverThrowsAndFailuresLeaveNoFile(@ForAll("argv") List<String> tokens) throws IOException {
        Path dir = Files.createTempDirectory("als-fuzz");
        try {
            Path data = dir.resolve("data.dat");
            Files.writeString(data, "1::1::5\n1::2::3\n2::1::4\n2::2::2\n3::2::1\n");
            Path out = dir.resolve("out.als");
            List<String> args = new ArrayList<>();
            for (String t : tokens) {
                args.add(t.equals("DATA") ? data.toString() : t.equals("OUT") ? out.toString() : t);
            }
            // Bound the work a random command line can ask for.
            if (args.contains("--iterations")) {
                return;
            }
            MainTest.Run r = MainTest.run(args.toArray(new String[0]));
            assertTrue(Set.of(0, 1, 2).contains(r.code()), "exit " + r.code());
            if (r.code() != 0) {
                assertTrue(r.err().startsWith("als: error: ") || args.isEmpty(), r.err());
                try (var files = Files.list(dir)) {
                    assertEquals(List.of(data), files.toList(), "a failed run left a file");
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
