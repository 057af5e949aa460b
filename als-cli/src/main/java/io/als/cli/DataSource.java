package io.als.cli;

import io.als.api.Ratings;
import io.als.eval.data.ObservedScale;
import io.als.eval.data.SyntheticRatings;
import java.io.IOException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ratings a command works on: the file named by {@code --data}, or, when {@code --data}
 * says {@code synthetic[:key=value,...]} or, for {@code cv} and {@code tune}, is omitted, the
 * built-in synthetic set (so that they run with nothing downloaded; {@code train} requires
 * {@code --data}). Logs what was read and
 * the rating scale found.
 *
 * @param ratings     the ratings
 * @param description the file name or the synthetic spec
 * @param synthetic   the generator, when the data is synthetic (its noise floor is known), else null
 * @param scale       the scale the ratings use
 */
record DataSource(Ratings ratings, String description, SyntheticRatings synthetic, ObservedScale scale) {
    private static final Logger LOG = LoggerFactory.getLogger(DataSource.class);

    static DataSource load(Args args) throws IOException {
        String data = args.get("data");
        long start = System.nanoTime();
        DataSource d;
        if (data == null || data.trim().equals("synthetic") || data.trim().startsWith("synthetic:")) {
            SyntheticRatings s = SyntheticRatings.generate(SyntheticRatings.Spec.parse(data == null ? "synthetic" : data));
            d = new DataSource(s.ratings(), s.spec().toString(), s, ObservedScale.of(s.ratings()));
            if (data == null) {
                LOG.info("no --data given: using the built-in synthetic data set {}", d.description());
            }
        } else {
            Ratings r = TrainingOptions.readData(args);
            d = new DataSource(r, data, null, ObservedScale.of(r));
        }
        LOG.info("{}: {} ratings of {} users and {} items in {} s; rating scale {}", d.description(),
                d.ratings().size(), d.ratings().numUsers(), d.ratings().numItems(),
                String.format(Locale.ROOT, "%.2f", (System.nanoTime() - start) / 1e9), d.scale());
        return d;
    }
}
