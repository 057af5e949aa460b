package io.als.cli;

import ch.qos.logback.classic.Level;
import io.als.api.AlsException;
import io.als.api.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The {@code als} command. Results go to stdout (one JSON object with {@code --json}), logs
 * and progress to stderr. Exit codes: 0 success, 1 failure (bad data, bad model file,
 * numerical failure), 2 bad command line.
 */
public final class Main {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;

    private Main() {
    }

    static Map<String, Command> commands() {
        Map<String, Command> m = new LinkedHashMap<>();
        for (Command c : List.of(new ReferenceCommand(), new TrainCommand(), new PredictCommand(),
                new RecommendCommand(), new SimilarCommand(), new ExportCommand(), new UpdateCommand(), new SolversCommand(), new CvCommand(), new TuneCommand(), new FetchCommand(), new InfoCommand())) {
            m.put(c.name(), c);
        }
        return m;
    }

    public static void main(String[] argv) {
        System.exit(run(argv, new Cli(System.out, System.err, System.getenv(), System.getProperties())));
    }

    /** Runs one command line and returns the exit code; never calls System.exit. */
    public static int run(String[] argv, Cli cli) {
        Map<String, Command> commands = commands();
        if (argv.length == 0 || argv[0].equals("help") || argv[0].equals("--help") || argv[0].equals("-h")) {
            // 'als help' and 'als help COMMAND' succeed (with --json, as one JSON object); 'als'
            // alone, an unknown command or more words are a wrong command line, whose usage goes
            // to stderr.
            boolean json = wantsJson(argv);
            String[] words = Arrays.stream(argv).filter(a -> !a.equals("--json") && !a.equals("--quiet"))
                    .toArray(String[]::new);
            if (words.length == 2 && commands.containsKey(words[1])) {
                printHelp(cli, json, words[1], help(commands.get(words[1])));
                return OK;
            }
            if (words.length > 1) {
                String what = words.length > 2 ? "'help' takes one command but was given " + (words.length - 1)
                        + " words" : "there is no command '" + words[1] + "'";
                int code = fail(cli, json, USAGE, what + "; commands are " + commands.keySet());
                cli.err().print(usage(commands));
                return code;
            }
            if (argv.length == 0) {
                cli.err().print(usage(commands));
                return USAGE;
            }
            printHelp(cli, json, null, usage(commands));
            return OK;
        }
        Command command = commands.get(argv[0]);
        boolean json = wantsJson(argv);
        if (command == null) {
            return fail(cli, json, USAGE, "unknown command '" + argv[0] + "'; commands are " + commands.keySet());
        }
        try {
            Args args = options(command).parse(command.name(), Arrays.asList(argv).subList(1, argv.length));
            if (args.flag("help")) {
                printHelp(cli, args.flag("json"), command.name(), help(command));
                return OK;
            }
            if (args.flag("quiet")) {
                ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                        .setLevel(Level.WARN);
            }
            return command.run(args, cli);
        } catch (UsageException e) {
            return fail(cli, json, USAGE, e.getMessage() + " (see 'als help " + command.name() + "')");
        } catch (ConfigurationException e) {
            // A setting from the command line, the environment or a --config file: the user's to fix.
            return fail(cli, json, USAGE, e.getMessage() + " (see 'als help " + command.name() + "')");
        } catch (AlsException e) {
            // Bad data, a bad model file, a numerical failure, too little heap.
            return fail(cli, json, FAILURE, e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            return fail(cli, json, FAILURE, e.getMessage());
        } catch (UncheckedIOException | IOException e) {
            return fail(cli, json, FAILURE, e.getMessage());
        } catch (OutOfMemoryError e) {
            return fail(cli, json, FAILURE, "out of memory; raise the heap, e.g. ALS_JAVA_OPTS=-Xmx16g");
        } catch (Exception e) {
            return fail(cli, json, FAILURE, e.toString());
        }
    }

    /**
     * Whether errors go out as JSON: {@code --json} anywhere, also as {@code --json=VALUE},
     * which the parser refuses (a switch takes no value) in JSON, as the user asked.
     */
    private static boolean wantsJson(String[] argv) {
        return Arrays.stream(argv).anyMatch(a -> a.equals("--json") || a.startsWith("--json="));
    }

    private static Options options(Command command) {
        return command.options().flag("json", "print one JSON object on stdout")
                .flag("quiet", "log warnings and errors only").flag("help", "show this help");
    }

    /** Help text as it is, or with --json as one object holding it (and the command, when there is one). */
    private static void printHelp(Cli cli, boolean json, String command, String text) {
        if (json) {
            cli.out().println(Json.object().put("command", command).put("help", text));
        } else {
            cli.out().print(text);
        }
    }

    private static int fail(Cli cli, boolean json, int code, String message) {
        cli.err().println("als: error: " + message);
        if (json) {
            cli.out().println(Json.object().put("error", message).put("exit_code", code));
        }
        return code;
    }

    static String help(Command c) {
        return "usage: als " + c.name() + " [flags]\n" + c.summary() + "\n\n" + options(c).help();
    }

    static String usage(Map<String, Command> commands) {
        StringBuilder sb = new StringBuilder("usage: als COMMAND [flags]   (als help COMMAND for its flags)\n\n");
        for (Command c : commands.values()) {
            sb.append(String.format("  %-10s %s%n", c.name(), c.summary()));
        }
        return sb.toString();
    }
}
