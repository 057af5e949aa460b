package io.als.ejml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real fit with the ejml backend runs EJML's Cholesky: a fresh JVM started with
 * {@code -verbose:class} fits a small problem ({@link EjmlFitProbe}) and the classes it loads
 * include EJML's Cholesky solver and decomposition (were the backend to solve with a kernel
 * of its own, neither class would load).
 */
class EjmlClassesTest {

    @Test
    void aFitLoadsEjmlsCholesky() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-verbose:class", "-cp", System.getProperty("java.class.path"),
                EjmlFitProbe.class.getName())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("probe done"), out);
        assertTrue(out.contains("org.ejml.dense.row.linsol.chol.LinearSolverChol_DDRM"), "EJML's Cholesky solver");
        assertTrue(out.contains("org.ejml.dense.row.decomposition.chol.CholeskyDecompositionInner_DDRM"),
                "EJML's Cholesky decomposition");
    }
}
