package io.als.api;

import io.als.spi.FactorMatrix;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@link Model} is immutable: many threads calling predict and recommend see what one thread sees. */
class ModelConcurrencyTest {

    @Test
    void concurrentPredictAndRecommendMatchSerialCalls() throws Exception {
        SplittableRandom rnd = new SplittableRandom(11);
        Ratings.Builder b = Ratings.builder();
        for (int u = 0; u < 200; u++) {
            for (int i = 0; i < 120; i++) {
                if (rnd.nextDouble() < 0.1 || i == u % 120) {
                    b.add(u, i, 1 + rnd.nextInt(5));
                }
            }
        }
        Ratings r = b.build();
        FactorMatrix users = new FactorMatrix(r.numUsers(), 8);
        FactorMatrix items = new FactorMatrix(r.numItems(), 8);
        java.util.Arrays.setAll(users.data(), k -> rnd.nextGaussian());
        java.util.Arrays.setAll(items.data(), k -> rnd.nextGaussian());
        Model model = Model.unbiased(r, users, items);

        List<Object> serial = answers(model, 0, r.numUsers());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<List<Object>>> futures = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                Callable<List<Object>> task = () -> answers(model, 0, r.numUsers());
                futures.add(pool.submit(task));
            }
            for (Future<List<Object>> f : futures) {
                assertEquals(serial, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Object> answers(Model m, int from, int to) {
        List<Object> out = new ArrayList<>();
        for (int u = from; u < to; u++) {
            String user = m.userIds().idAt(u);
            out.add(m.recommend(user, 5));
            for (int i = 0; i < m.itemIds().size(); i += 7) {
                out.add(Double.doubleToLongBits(m.predict(user, m.itemIds().idAt(i))));
            }
        }
        return out;
    }
}
