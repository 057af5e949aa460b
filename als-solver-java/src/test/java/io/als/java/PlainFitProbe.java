package io.als.java;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.api.Model;
import io.als.api.Ratings;

/** Run by {@link WithoutGuiceTest} in a JVM whose class path has no Guice: a plain-constructor fit. */
public final class PlainFitProbe {
    private PlainFitProbe() {
    }

    public static void main(String[] args) {
        Ratings ratings = Ratings.fromDense(new double[][] {{1, 2, 3}, {4, Double.NaN, 6}, {7, 8, 9}});
        Model model = new AlternatingLeastSquares(AlsConfig.plain().rank(2).threads(1).build(), new JavaSolver())
                .fit(ratings);
        System.out.println("prediction " + model.predict("2", "2"));
    }
}
