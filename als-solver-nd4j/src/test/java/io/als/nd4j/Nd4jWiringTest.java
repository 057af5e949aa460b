package io.als.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.SolverModule;
import io.als.api.SolverRegistry;
import io.als.api.SolverSelection;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class Nd4jWiringTest {

    @Test
    void serviceLoaderFindsTheModuleAndGuiceBindsItByName() {
        assertTrue(io.als.api.AlsModule.discoverSolverModules().stream().anyMatch(m -> m instanceof Nd4jModule));
        SolverRegistry registry = SolverRegistry.discover();
        assertTrue(registry.names().contains("nd4j"), registry.names().toString());
        assertTrue(registry.names().contains("ejml"), "both backends side by side: " + registry.names());
        assertInstanceOf(Nd4jSolver.class, registry.get("nd4j"));
        assertEquals("nd4j", registry.get("nd4j").name());
    }

    @Test
    void selectedByTheSystemPropertyWithoutCodeChanges() {
        Properties system = new Properties();
        system.setProperty(SolverSelection.PROPERTY, "nd4j");
        SolverSelection selection = SolverSelection.resolve(null, system, Map.of(), null, "ejml");
        assertInstanceOf(Nd4jSolver.class, SolverRegistry.discover().get(selection));
    }

    @Test
    void theModuleIsASolverModule() {
        assertInstanceOf(SolverModule.class, new Nd4jModule());
    }
}
