package io.als.ejml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.SolverRegistry;
import io.als.api.UnknownSolverException;
import org.junit.jupiter.api.Test;

class EjmlWiringTest {

    @Test
    void serviceLoaderFindsTheModuleAndGuiceBindsItByName() {
        SolverRegistry registry = SolverRegistry.discover();
        assertTrue(registry.names().contains(EjmlSolver.NAME), registry.names().toString());
        assertInstanceOf(EjmlSolver.class, registry.get("ejml"));
    }

    @Test
    void unknownNameListsTheInstalledSolvers() {
        UnknownSolverException e = assertThrows(UnknownSolverException.class,
                () -> SolverRegistry.discover().get("nosuch"));
        assertTrue(e.getMessage().contains("nosuch"), e.getMessage());
        assertTrue(e.getMessage().contains("ejml"), e.getMessage());
        assertEquals("nosuch", e.name());
    }

    @Test
    void kernelReadsTheCholeskyPivotsInPlace() {
        // A singular 2x2 [[1, 1], [1, 1]]: EJML's in-place factor leaves a zero second pivot,
        // which the kernel must reject; the well-conditioned [[2, 1], [1, 2]] must pass.
        EjmlSolver.CholeskyKernel kernel = new EjmlSolver.CholeskyKernel(2);
        double[] x = new double[2];
        assertFalse(kernel.solve(new double[] {1, 1, 1, 1}, new double[] {1, 1}, x));
        assertTrue(kernel.solve(new double[] {2, 1, 1, 2}, new double[] {3, 3}, x));
        assertEquals(1.0, x[0], 1e-15);
        assertEquals(1.0, x[1], 1e-15);
    }
}
