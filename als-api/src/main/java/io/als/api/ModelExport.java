package io.als.api;

import io.als.internal.AtomicFiles;
import io.als.internal.Npy;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a model's parts into a folder as plain files that other tools read without this
 * library: CSV with a header line, and NumPy {@code .npy} (format 1.0, little-endian, C
 * order). docs/export.md describes every file and how to load it with numpy.
 *
 * <ul>
 *   <li>{@code model_info.csv}: {@code key,value} lines: rank, samples, biased, implicit,
 *       users, items, global_mean;</li>
 *   <li>{@code user_ids.csv}, {@code item_ids.csv}: one id per line in index order (a header
 *       {@code user_id} / {@code item_id}); ids holding a comma, a quote or a line break are
 *       quoted as in RFC 4180. Also {@code user_ids.npy} / {@code item_ids.npy} ({@code <i8})
 *       when the ids are numbers; text ids have no {@code .npy} (a NumPy string array would
 *       need a fixed width and a pickle-free unicode type that many readers mishandle);</li>
 *   <li>{@code user_factors}, {@code item_factors} ({@code .csv} and {@code .npy}):
 *       {@code rows x (S k)} doubles, row {@code r} for the id on line {@code r} of the ids.
 *       A model of {@code S > 1} samples (a sampled fit stored uncompressed) is exported as
 *       it is held: the samples' factors side by side, sample {@code s} in columns
 *       {@code s k .. s k + k - 1}, unscaled; its prediction is the product divided by
 *       {@code S} (see below). Averaging the samples' factors instead would not give the
 *       model's predictions, since the average of products is not the product of averages;</li>
 *   <li>only for a biased model: {@code user_biases}, {@code item_biases} (one double per
 *       row, averaged over the samples as predictions use them) and {@code global_mean}
 *       (a 0-d {@code .npy}; one value in the CSV).</li>
 * </ul>
 * The model's prediction is then
 * {@code global_mean + user_biases[u] + item_biases[i] + (user_factors[u] @ item_factors[i]) / S}.
 * Each file is written atomically on its own ({@link AtomicFiles}); a reader may see new and
 * old files side by side if a write is interrupted between files.
 */
public final class ModelExport {

    private ModelExport() {
    }

    /** The names of the files {@link #write} writes for this model. */
    public static List<String> fileNames(Model model) {
        List<String> names = new ArrayList<>(List.of("model_info.csv", "user_ids.csv", "item_ids.csv"));
        if (model.userIds().isNumeric()) {
            names.add("user_ids.npy");
        }
        if (model.itemIds().isNumeric()) {
            names.add("item_ids.npy");
        }
        List<String> arrays = new ArrayList<>(List.of("user_factors", "item_factors"));
        if (model.biased()) {
            arrays.addAll(List.of("user_biases", "item_biases", "global_mean"));
        }
        for (String a : arrays) {
            names.add(a + ".csv");
            names.add(a + ".npy");
        }
        return names;
    }

    /**
     * Every name an export can write, for any model: {@link #write} removes those of them that
     * this model does not write, so a caller that reads a file from the same folder checks
     * them all.
     */
    public static List<String> allFileNames() {
        return ALL_NAMES;
    }

    /** Every name an export can write, for any model. */
    static final List<String> ALL_NAMES = List.of("model_info.csv", "user_ids.csv", "item_ids.csv", "user_ids.npy",
            "item_ids.npy", "user_factors.csv", "user_factors.npy", "item_factors.csv", "item_factors.npy",
            "user_biases.csv", "user_biases.npy", "item_biases.csv", "item_biases.npy", "global_mean.csv",
            "global_mean.npy");

    /**
     * Writes every file of {@link #fileNames} into {@code dir}, creating it if needed and
     * replacing files of the same names. Files an earlier export left there under the names
     * of {@link #ALL_NAMES} that this model does not write (the biases of a biased model, the
     * {@code .npy} ids of numeric ids) are removed, so that the folder describes one model.
     */
    public static void write(Model model, Path dir) throws IOException {
        List<String> written = fileNames(model);
        for (String name : ALL_NAMES) {
            Path stale = dir.resolve(name);
            if (!written.contains(name) && java.nio.file.Files.isRegularFile(stale,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                java.nio.file.Files.delete(stale);
            }
        }
        int users = model.userIds().size();
        int items = model.itemIds().size();
        int width = model.rank() * model.samples();
        csv(dir.resolve("model_info.csv"), w -> {
            w.write("key,value\n");
            w.write("rank," + model.rank() + "\n");
            w.write("samples," + model.samples() + "\n");
            w.write("biased," + model.biased() + "\n");
            w.write("implicit," + model.trainingInfo().map(TrainingInfo::isImplicit).orElse(false) + "\n");
            w.write("users," + users + "\n");
            w.write("items," + items + "\n");
            w.write("global_mean," + model.globalMean() + "\n");
        });
        ids(dir, "user", model.userIds());
        ids(dir, "item", model.itemIds());
        matrix(dir, "user_factors", model.usersSideBySide(), users, width);
        matrix(dir, "item_factors", model.itemsSideBySide(), items, width);
        if (model.biased()) {
            vector(dir, "user_biases", "user_bias", model.userBiases());
            vector(dir, "item_biases", "item_bias", model.itemBiases());
            csv(dir.resolve("global_mean.csv"), w -> w.write("global_mean\n" + model.globalMean() + "\n"));
            npy(dir.resolve("global_mean.npy"), o -> Npy.writeDoubles(o, new double[] {model.globalMean()}));
        }
    }

    private static void ids(Path dir, String side, IdIndex ids) throws IOException {
        csv(dir.resolve(side + "_ids.csv"), w -> {
            w.write(side + "_id\n");
            for (int r = 0; r < ids.size(); r++) {
                w.write(quoted(ids.idAt(r)));
                w.write('\n');
            }
        });
        if (ids.isNumeric()) {
            long[] values = new long[ids.size()];
            for (int r = 0; r < values.length; r++) {
                values[r] = ids.numericIdAt(r);
            }
            npy(dir.resolve(side + "_ids.npy"), o -> Npy.writeLongs(o, values));
        }
    }

    /**
     * A CSV field: as it is, or in double quotes with quotes doubled when it holds a comma, a
     * quote, a line break or a {@code #}, or starts or ends with white space, so that a CSV
     * reader, and the list files of {@code --allow} and {@code --deny} (where an unquoted
     * {@code #} starts a comment and spaces are trimmed), read the id back as it is.
     */
    public static String quoted(String field) {
        boolean edge = !field.isEmpty() && (field.charAt(0) <= ' ' || field.charAt(field.length() - 1) <= ' ');
        if (!edge && field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0
                && field.indexOf('\r') < 0 && field.indexOf('#') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    private static void matrix(Path dir, String name, double[] values, int rows, int cols) throws IOException {
        csv(dir.resolve(name + ".csv"), w -> {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                line.append(c == 0 ? "f" : ",f").append(c);
            }
            w.write(line.append('\n').toString());
            for (int r = 0; r < rows; r++) {
                line.setLength(0);
                for (int c = 0; c < cols; c++) {
                    line.append(c == 0 ? "" : ",").append(values[r * cols + c]);
                }
                w.write(line.append('\n').toString());
            }
        });
        npy(dir.resolve(name + ".npy"), o -> Npy.writeDoubles(o, values, rows, cols));
    }

    private static void vector(Path dir, String name, String column, double[] values) throws IOException {
        csv(dir.resolve(name + ".csv"), w -> {
            w.write(column + "\n");
            for (double v : values) {
                w.write(Double.toString(v));
                w.write('\n');
            }
        });
        npy(dir.resolve(name + ".npy"), o -> Npy.writeDoubles(o, values, values.length));
    }

    @FunctionalInterface
    private interface Text {
        void write(Writer w) throws IOException;
    }

    @FunctionalInterface
    private interface Bytes {
        void write(OutputStream o) throws IOException;
    }

    private static void csv(Path file, Text text) throws IOException {
        AtomicFiles.write(file, raw -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8));
            text.write(w);
            w.flush();
        });
    }

    private static void npy(Path file, Bytes bytes) throws IOException {
        AtomicFiles.write(file, raw -> {
            BufferedOutputStream o = new BufferedOutputStream(raw);
            bytes.write(o);
            o.flush();
        });
    }
}
