package io.als.cli;

import io.als.eval.report.Reports;
import io.als.internal.OutputPaths;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks a writing command makes on its destinations before it loads or fits anything
 * (see {@link OutputPaths}): an existing target must be a regular file, no target may be one
 * of the command's input files, and the folder must exist (for {@code --report}: be
 * creatable) and accept new files. Failures exit 2 naming the flag, the path and the reason.
 */
final class OutputChecks {
    /** Flags whose value is a file the command reads. */
    private static final List<String> INPUT_FLAGS = List.of("data", "train", "test", "config", "model",
            "items-file");

    private OutputChecks() {
    }

    /** The input files named on the command line, by flag ({@code --data synthetic...} is no file). */
    static Map<String, Path> inputs(Args args) {
        Map<String, Path> in = new LinkedHashMap<>();
        for (String flag : INPUT_FLAGS) {
            String v = args.get(flag);
            if (v == null || v.isBlank() || (flag.equals("data") && v.trim().startsWith("synthetic"))) {
                continue;
            }
            try {
                in.put("--" + flag, Path.of(v));
            } catch (java.nio.file.InvalidPathException e) {
                // Not a usable path; reading it will say so.
            }
        }
        return in;
    }

    /** {@code train --out}. */
    static void modelFile(Args args, Path out) {
        OutputPaths.checkFile("--out", out, "model.als", inputs(args));
    }

    /** {@code cv --report DIR}. */
    static void cvReport(Args args) {
        if (args.has("report")) {
            OutputPaths.checkFilesIn("--report", args.requirePath("report"), Reports.CV_FILES, inputs(args));
        }
    }

    /** {@code tune --report DIR}. */
    static void gridReport(Args args) {
        if (args.has("report")) {
            OutputPaths.checkFilesIn("--report", args.requirePath("report"), Reports.GRID_FILES, inputs(args));
        }
    }
}
