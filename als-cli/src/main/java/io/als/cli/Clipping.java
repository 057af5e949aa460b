package io.als.cli;

import io.als.api.Model;
import io.als.api.RatingScale;
import io.als.api.TrainingInfo;
import java.nio.file.Path;

/**
 * How {@code predict} and {@code recommend} treat predictions outside the rating scale: by
 * default they are clipped to the smallest and largest rating the model was trained on (as
 * {@code cv} clips when it scores), so that no command prints 5.98 on a 1..5 scale.
 * {@code --no-clip} prints the raw values. A model without training information (a
 * version-1 file, or a model built in code) has no scale to clip to, and the commands say so.
 * An implicit model is never clipped: its scores rank items, they do not predict ratings.
 *
 * @param scale the rating scale the model was trained on, or null (an implicit model, or one
 *              that records none)
 * @param on    whether predictions are clipped to it
 * @param note  why nothing is clipped although clipping was asked for, or null
 */
record Clipping(RatingScale scale, boolean on, String note) {

    static final String FLAG_HELP = "print raw predictions, not clipped to the rating scale the model was trained on";

    static Clipping of(Model model, Path file, boolean noClip) {
        // An implicit model's scores are preferences (near 1: likely to interact, near 0: not),
        // not ratings: the range of the values it was fitted to is no bound on them.
        if (model.trainingInfo().map(TrainingInfo::isImplicit).orElse(false)) {
            return new Clipping(null, false, null);
        }
        RatingScale scale = model.trainingInfo().map(TrainingInfo::scale).orElse(null);
        if (scale == null && !noClip) {
            return new Clipping(null, false, file + " records no training rating scale (version-1 files and"
                    + " models built in code have none), so predictions are not clipped; re-train it to store one");
        }
        // With --no-clip the scale is still the model's, and the JSON says so (clipped false).
        return new Clipping(scale, !noClip, null);
    }

    double apply(double prediction) {
        return active() ? scale.clip(prediction) : prediction;
    }

    boolean active() {
        return on && scale != null;
    }

    /** The clipping fields of a command's JSON object. */
    Json put(Json j) {
        j.put("clipped", active()).put("scale", scale == null ? null : scale.toString());
        if (note != null) {
            j.put("note", note);
        }
        return j;
    }

    /** Prints the note, if any, on stderr (stdout keeps only the figures). */
    void warn(Cli cli) {
        if (note != null) {
            cli.err().println("als: note: " + note);
        }
    }
}
