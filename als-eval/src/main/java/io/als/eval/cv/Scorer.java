package io.als.eval.cv;

/** A prediction for training indices, either of which may be -1 (unknown). */
@FunctionalInterface
public interface Scorer {
    double predict(int user, int item);
}
