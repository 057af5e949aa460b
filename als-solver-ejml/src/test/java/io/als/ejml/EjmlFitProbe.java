package io.als.ejml;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.api.Ratings;

/** Run by {@link EjmlClassesTest} in its own JVM: one small fit with the ejml backend. */
public final class EjmlFitProbe {
    private EjmlFitProbe() {
    }

    public static void main(String[] args) {
        double[][] dense = new double[12][9];
        for (int u = 0; u < dense.length; u++) {
            for (int i = 0; i < dense[u].length; i++) {
                dense[u][i] = 1 + (u * 7 + i * 3) % 5;
            }
        }
        AlsConfig config = AlsConfig.plain().rank(5).iterations(2).threads(1).build();
        new AlternatingLeastSquares(config, new EjmlSolver()).fit(Ratings.fromDense(dense));
        System.out.println("probe done");
    }
}
