package io.als.cli;

import io.als.eval.data.Fetcher;
import io.als.eval.data.MovieLens;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code als fetch NAME}: downloads a MovieLens data set from GroupLens, verifies its MD5,
 * unpacks it safely and atomically, and prints its licence terms.
 */
final class FetchCommand implements Command {
    /** Where data sets go by default: the shared data folder next to the repository. */
    static final String DEFAULT_DIR = "../shared/data/movielens";

    @Override
    public String name() {
        return "fetch";
    }

    @Override
    public String summary() {
        return "download a MovieLens data set (" + String.join("|", MovieLens.ids()) + "), verify, unpack";
    }

    @Override
    public Options options() {
        return new Options()
                .value("set", "NAME", "the data set: " + String.join(", ", MovieLens.ids()) + " (or give it first)")
                .value("dir", "D", "folder to unpack into (default " + DEFAULT_DIR + ")")
                .value("base-url", "URL", "where the archives are (default " + Fetcher.DEFAULT_BASE_URL + ")")
                .positional("set");
    }

    @Override
    public int run(Args args, Cli cli) throws Exception {
        MovieLens set = MovieLens.parse(args.require("set"));
        Path dir = Path.of(args.has("dir") ? args.get("dir") : DEFAULT_DIR);
        String base = args.has("base-url") ? args.get("base-url") : Fetcher.DEFAULT_BASE_URL;
        Fetcher.Result r;
        try (ProgressBar bar = ProgressBar.forCli(args, cli)) {
            r = new Fetcher(base).fetch(set, dir, (done, total) -> bar.update(done, total,
                    String.format(Locale.ROOT, "%s %.1f MB", set.archive(), done / 1e6)));
        }
        String terms = "MovieLens data sets are by GroupLens Research, University of Minnesota, and come with"
                + " a usage licence: research use, no commercial use without permission, no redistribution,"
                + " no implied endorsement, and the data set acknowledged in publications.";
        if (args.flag("json")) {
            cli.out().println(Json.object().put("set", set.id()).put("folder", r.folder().toString())
                    .put("ratings", r.ratings().toString()).put("md5", r.md5()).put("downloaded", r.downloaded())
                    .put("licence_summary", terms).put("licence", r.licence()));
            return 0;
        }
        cli.out().println((r.downloaded() ? "fetched " + set.id() + " (MD5 " + r.md5() + " verified) into "
                : set.id() + " is already in ") + r.folder());
        cli.out().println("ratings: " + r.ratings() + "  (e.g. ./als cv --data " + r.ratings() + ")");
        cli.out().println();
        cli.out().println(terms);
        if (r.licence() != null) {
            cli.out().println("Its README says:");
            cli.out().println();
            cli.out().println(r.licence());
        } else {
            cli.out().println("Read the full terms in the README in " + r.folder() + ".");
        }
        return 0;
    }
}
