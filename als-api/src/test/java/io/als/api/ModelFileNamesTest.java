package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The names a model file stores (its solver and penalty): a damaged one is refused with its
 * control characters escaped, not loaded or dumped raw into a message; a penalty of the
 * caller's own loads, and fold-in, which needs to rebuild it, says why it cannot.
 */
class ModelFileNamesTest {

    /** Ridge regression under a name of the caller's choosing. */
    private record Custom(String name, double lambda) implements Regularizer {
        @Override
        public double penalty(int observations) {
            return lambda;
        }

        @Override
        public Regularizer withLambda(double l) {
            return new Custom(name, l);
        }
    }

    private static Model fit(String penaltyName) {
        AlsConfig config = AlsConfig.builder().rank(2).iterations(2).regularizer(new Custom(penaltyName, 0.5))
                .biased(false).samples(0).seed(3).threads(1).build();
        Ratings r = Ratings.builder().add(1, 1, 4).add(1, 2, 2).add(2, 1, 5).add(2, 3, 1).add(3, 2, 3).add(3, 3, 4)
                .build();
        return new AlternatingLeastSquares(config, new EliminationSolver()).fit(r);
    }

    @Test
    void aPenaltyNameWithControlCharactersIsRefusedEscaped(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.als");
        ModelFile.write(fit("ri\u0007dge\u0000"), f);
        String m = assertThrows(ModelFormatException.class, () -> ModelFile.read(f)).getMessage();
        assertEquals(f + ": the regularizer's name must be printable text of at most 64 characters but was"
                + " 'ri\\u0007dge\\u0000'", m);
    }

    @Test
    void aCustomPenaltyLoadsAndFoldInSaysItCannotRebuildIt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.als");
        ModelFile.write(fit("shrinkage"), f);
        Model back = ModelFile.read(f);
        assertEquals("shrinkage", back.trainingInfo().orElseThrow().regularizer());
        try (Recommender r = new Recommender(back, new EliminationSolver(), 1)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> r.foldIn(List.of(new Recommender.Interaction("1", 4))));
            assertTrue(e.getMessage().contains("the model records 'shrinkage', which is not a built-in penalty"),
                    e.getMessage());
        }
    }

    @Test
    void longNamesAreCutInMessages() {
        assertEquals("a".repeat(64) + "...", ModelFile.shown("a".repeat(100)));
        assertEquals("a".repeat(64), ModelFile.shown("a".repeat(64)));
        assertEquals("x\\u001b[1m", ModelFile.shown("x\u001b[1m"));
    }
}
