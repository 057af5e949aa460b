package io.als.cli;

import io.als.api.Model;
import io.als.api.ModelExport;
import io.als.api.ModelFile;
import io.als.internal.OutputPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code als export}: a model's ids, factors and biases as CSV and NumPy {@code .npy} files in
 * a folder ({@link ModelExport}; the files and how to load them are in docs/export.md). The
 * folder is created when missing; one that exists must be a folder, and no file written into
 * it may be a folder or the model itself. Each file is replaced atomically on its own.
 */
final class ExportCommand implements Command {

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "write a model's ids, factors and biases as CSV and .npy files into a folder (docs/export.md)";
    }

    @Override
    public Options options() {
        return new Options().value("model", "MODEL", "model file written by 'als train'")
                .value("out", "DIR", "folder to write into (created if missing; files of the same names are replaced)");
    }

    @Override
    public int run(Args args, Cli cli) throws Exception {
        Path file = args.requirePath("model");
        Path dir = args.requirePath("out");
        // The folder before the model is read; the file names depend on the model (biases, numeric ids).
        OutputPaths.checkFolder("--out", dir);
        Model model = ModelFile.read(file);
        List<String> names = ModelExport.fileNames(model);
        OutputPaths.checkFilesIn("--out", dir, names, OutputChecks.inputs(args));
        // The names this model does not write are removed from the folder (it describes one
        // model), so none of them may be the model being exported.
        for (String stale : ModelExport.allFileNames()) {
            Path p = dir.resolve(stale);
            if (!names.contains(stale) && Files.exists(p) && Files.isSameFile(p, file)) {
                throw new UsageException("--out " + dir + ": " + p + " is the model file --model " + file + ", which"
                        + " this export would remove (it removes an earlier export's files that this model has none"
                        + " of); copy the model elsewhere or give another folder");
            }
        }
        ModelExport.write(model, dir);
        long total = 0;
        List<Json> files = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (String name : names) {
            long bytes = Files.size(dir.resolve(name));
            total += bytes;
            files.add(Json.object().put("name", name).put("bytes", bytes));
            text.append(String.format(Locale.ROOT, "  %-18s %,12d bytes%n", name, bytes));
        }
        boolean implicit = model.trainingInfo().map(io.als.api.TrainingInfo::isImplicit).orElse(false);
        if (args.flag("json")) {
            cli.out().println(Json.object().put("model", file.toString()).put("out", dir.toString())
                    .put("users", model.userIds().size()).put("items", model.itemIds().size())
                    .put("rank", model.rank()).put("samples", model.samples()).put("biased", model.biased())
                    .put("implicit", implicit).put("files", files).put("bytes", total));
        } else {
            cli.out().printf(Locale.ROOT, "exported %s to %s: %d users, %d items, rank %d x %d sample(s), %s%n", file,
                    dir, model.userIds().size(), model.itemIds().size(), model.rank(), model.samples(),
                    model.biased() ? "with biases" : implicit ? "implicit, no biases" : "no biases");
            cli.out().print(text);
            cli.out().println("load them as docs/export.md shows (numpy.load for .npy)");
        }
        return 0;
    }
}
