package io.als.cli;

import io.als.api.AlsConfig;
import io.als.api.SolverRegistry;
import io.als.api.SolverSelection;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/** {@code als solvers}: the installed backends, and which one the configuration selects. */
final class SolversCommand implements Command {

    @Override
    public String name() {
        return "solvers";
    }

    @Override
    public String summary() {
        return "list the installed solvers and which one is selected";
    }

    @Override
    public Options options() {
        return TrainingOptions.addSolver(new Options());
    }

    @Override
    public int run(Args args, Cli cli) throws Exception {
        SolverRegistry registry = SolverRegistry.discover();
        SolverSelection selected = TrainingOptions.selection(args, cli, TrainingOptions.configFile(args));
        // An unknown selection is an error before anything is printed (its message lists the
        // installed names), so that --json output is the error's one object.
        // What runs: the selection, or java where the default native cannot (the registry's fallback).
        String running = registry.get(selected).name();
        String by = running.equals(selected.name()) ? selected.source()
                : selected.source() + ", since '" + selected.name() + "' cannot run here";
        if (args.flag("json")) {
            Map<String, String> unavailable = new TreeMap<>();
            for (String name : registry.names()) {
                registry.get(name).unavailableBecause().ifPresent(why -> unavailable.put(name, why));
            }
            cli.out().println(Json.object().put("solvers", new ArrayList<>(registry.names()))
                    .put("unavailable", unavailable)
                    .put("selected", running).put("selected_by", by)
                    .put("default", AlsConfig.Defaults.SOLVER));
        } else {
            for (String name : registry.names()) {
                String note = registry.get(name).unavailableBecause().map(why -> "  (unavailable: " + why + ")").orElse("");
                cli.out().println(name + (name.equals(running) ? "  (selected by " + by + ")" : "") + note);
            }
        }
        return 0;
    }
}
