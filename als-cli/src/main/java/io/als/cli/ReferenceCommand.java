package io.als.cli;

import io.als.api.FitListener;
import io.als.api.Model;
import io.als.spi.Solver;
import io.als.eval.reference.ReferenceExample;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code als reference}: the worked example from the blog post, iteration by iteration. */
final class ReferenceCommand implements Command {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String summary() {
        return "run the reference example (2x3 ratings, rank 1) and explain the post's erratum";
    }

    @Override
    public Options options() {
        return TrainingOptions.addSolver(new Options())
                .value("threads", "N", "worker threads (default 1)");
    }

    @Override
    public int run(Args args, Cli cli) throws Exception {
        Solver solver = TrainingOptions.solver(args, cli);
        boolean json = args.flag("json");
        PrintStream out = cli.out();
        if (!json) {
            out.println("Reference example: Sophie Watson, \"A gentle introduction to Alternating Least Squares\" (2018).");
            out.println("Ratings: user 1 = [0.5, ?, 4], user 2 = [1, 3, 5]. Rank 1, no regularisation, U starts at [1, 1],");
            out.println("each iteration solves P with U fixed, then U with P fixed. Solver: " + solver.name() + ".");
            out.println();
            out.printf("%4s  %-22s  %-32s  %-14s  %s%n", "iter", "U", "P", "SSE", "prediction(u1,p2)");
        }
        List<Json> history = new ArrayList<>();
        ReferenceExample.Result r = ReferenceExample.run(solver, args.intValue("threads", 1), e -> {
            if (e.side() != FitListener.Side.USERS) {
                return;
            }
            Model now = e.snapshot();
            double[] u = now.userFactors(0).toArray();
            double[] p = now.itemFactors(0).toArray();
            // Rank 1, no biases: u1 * p2.
            double prediction = now.predictIndex(0, 1);
            if (json) {
                history.add(Json.object().put("iteration", e.iteration()).put("u", u).put("p", p)
                        .put("sse", e.sse()).put("prediction", prediction));
            } else {
                out.printf("%4d  %-22s  %-32s  %-14.10f  %.7f%n", e.iteration(), vector(u), vector(p), e.sse(),
                        prediction);
            }
        });
        double[] erratumP = ReferenceExample.Erratum.pGivenPublishedU(solver);
        double publishedSse = ReferenceExample.sse(ReferenceExample.Erratum.PUBLISHED_U,
                ReferenceExample.Erratum.PUBLISHED_P);
        if (json) {
            out.println(Json.object().put("solver", solver.name()).put("first_p", r.firstP()).put("first_u", r.firstU())
                    .put("prediction", r.prediction()).put("sse", r.sse()).put("iterations", r.iterations())
                    .put("users", r.users()).put("items", r.items()).put("history", history)
                    .put("erratum", Json.object()
                            .put("published_prediction", ReferenceExample.Erratum.PUBLISHED_PREDICTION)
                            .put("published_sse", publishedSse)
                            .put("p2_given_published_u", erratumP[1])));
            return 0;
        }
        out.println();
        out.println("After step 1: P = " + vector(r.firstP()) + ", U = " + vector(r.firstU())
                + " (= [98/111, 172/159])");
        out.printf(Locale.ROOT, "Final prediction for user 1, product 2: %.6f (SSE %.10f after %d iterations)%n",
                r.prediction(), r.sse(), r.iterations());
        out.println();
        out.printf(Locale.ROOT, "Why not the post's 1.897? Its published U = [0.7461, 1.7966] and P = [0.758, 2.5431, 4.7999]%n"
                + "are not what the method produces: holding that U fixed, the best p2 is 3 / 1.7966 = %.4f, not 2.5431,%n"
                + "so they are not a fixed point. Their squared error on the five known ratings is %.2f, against %.4f%n"
                + "here, so %.6f is the estimate the method converges to (details: docs/reference-example.md).%n",
                erratumP[1], publishedSse, r.sse(), r.prediction());
        return 0;
    }

    static String vector(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6f", v[i]));
        }
        return sb.append(']').toString();
    }
}
