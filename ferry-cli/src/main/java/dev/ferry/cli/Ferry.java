package dev.ferry.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code ferry} command. {@link #run} runs one invocation in-process and returns its exit code,
 * which is how the tests drive the CLI.
 */
@Command(
        name = "ferry",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Versioned, content-addressed datasets from local folders.",
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0 success            1 unexpected failure or damaged data",
            "  2 invalid input      3 local environment (paths, permissions)",
            "  4 not reachable      5 authentication      6 conflict",
            "  7 storage failed     8 request rejected    9 run failed",
            "  130 interrupted      141 output closed early (a reader such as head went away)",
            "%nEnvironment: FERRY_HOME (default ~/.ferry), FERRY_SERVER and FERRY_TOKEN (a remote server),",
            "  FERRY_SERVER_IDLE (local server idle stop, default 15m), NO_COLOR; for a server: FERRY_CATALOG",
            "  (a JDBC URL) and FERRY_STORE (s3://bucket/prefix) over config.yaml, FERRY_RUN_LEASE (30s)."
        })
public final class Ferry implements Callable<Integer> {
    /** The top-level commands, in the order help lists them. */
    private static final Map<String, Class<?>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("dataset", DatasetCommands.class);
        COMMANDS.put("push", DatasetCommands.Push.class);
        COMMANDS.put("ingest", IngestCommands.class);
        COMMANDS.put("data", DataCommands.class);
        COMMANDS.put("repo", RepoCommands.class);
        COMMANDS.put("bundle", BundleCommands.class);
        COMMANDS.put("label", LabelCommands.class);
        COMMANDS.put("runs", RunsCommands.class);
        COMMANDS.put("server", ServerCommands.class);
        COMMANDS.put("serve", ServerCommands.Serve.class);
        COMMANDS.put("fsck", FsckCommand.class);
        COMMANDS.put("gc", GcCommand.class);
        COMMANDS.put("catalog", CatalogCommands.class);
        COMMANDS.put("token", TokenCommands.class);
        COMMANDS.put("login", ContextCommands.Login.class);
        COMMANDS.put("context", ContextCommands.Group.class);
        COMMANDS.put("cluster", ClusterCommands.class);
        COMMANDS.put("doctor", DoctorCommand.class);
        COMMANDS.put("ui", UiCommand.class);
        COMMANDS.put("worker", WorkerCommand.class);
        COMMANDS.put("config", ConfigCommands.class);
        COMMANDS.put("version", VersionCommand.class);
        COMMANDS.put("completion", CompletionCommand.class);
        COMMANDS.put("help", CommandLine.HelpCommand.class);
    }

    private final CliContext ctx;

    Ferry(CliContext ctx) {
        this.ctx = ctx;
    }

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: text). JSON is one document on stdout.")
    void setOutput(OutputFormat format) {
        ctx.output = format;
    }

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show more detail, and stack traces on errors.")
    void setVerbose(boolean verbose) {
        ctx.verbose = verbose;
    }

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "A remote Ferry server (default: FERRY_SERVER, else the local one, started on demand).")
    void setServer(String url) {
        ctx.serverUrl = url;
    }

    @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "A server 'ferry login' remembered (default: the current context, else the local server).")
    void setContext(String name) {
        ctx.contextName = name;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(ctx.out);
        return 0;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        try (CliContext ctx = new CliContext(System.getenv(), out, err, Terminal.interactive(System.getenv()), System.out)) {
            System.exit(exitCode(commandLine(ctx, args).execute(args), out, OutputTarget.of(OutputTarget.STDOUT), System.err));
        }
    }

    /** Runs one invocation with this process's environment, never interactive. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(System.getenv(), out, err, false, args);
    }

    /** Runs one invocation with the given environment (tests set FERRY_HOME here). */
    public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        return run(env, out, err, false, args);
    }

    static int run(Map<String, String> env, PrintWriter out, PrintWriter err, boolean interactive, String... args) {
        return run(env, out, err, interactive, LocalServer.BACKGROUND_PROCESS, args);
    }

    static int run(Map<String, String> env, PrintWriter out, PrintWriter err, boolean interactive,
            LocalServer.Starter starter, String... args) {
        try (CliContext ctx = new CliContext(env, out, err, interactive)) {
            ctx.serverStarter = starter;
            CommandLine cli = commandLine(ctx, args);
            return exitCode(cli.execute(args), out, new OutputTarget(""), OutputStream.nullOutputStream());
        }
    }

    /**
     * A command that succeeded but whose output could not all be written exits as the relays do: as a
     * pipe's writer ended by SIGPIPE ({@code ferry ... | head}), or with an error line on {@code err}
     * where the output went to a file or device ({@link OutputTarget}). A PrintWriter keeps the error
     * itself to itself, hence no reason in the line. Commands run for a relay ({@link #run}) write to
     * its socket, whose reader is the relay.
     */
    static int exitCode(int code, PrintWriter out, OutputTarget target, OutputStream err) {
        return code == 0 && out.checkError() ? target.failed(null, err) : code;
    }

    /** The whole command tree (help, completion, tests). */
    static CommandLine commandLine(CliContext ctx) {
        return commandLine(ctx, new String[0]);
    }

    /**
     * The command tree for these arguments: only the branch they name, when they name one. Building
     * picocli's model reflects over every command class; skipping the branches an invocation cannot
     * reach saves about 100 ms of every start.
     */
    static CommandLine commandLine(CliContext ctx, String[] args) {
        ContextFactory factory = new ContextFactory(ctx);
        CommandLine cli = new CommandLine(Ferry.class, factory);
        String branch = null;
        for (String arg : args) {
            if (COMMANDS.containsKey(arg)) {
                branch = arg;
                break;
            }
        }
        boolean needsAll = branch == null || branch.equals("help") || branch.equals("completion");
        for (Map.Entry<String, Class<?>> command : COMMANDS.entrySet()) {
            if (needsAll || command.getKey().equals(branch)) {
                CommandLine sub = new CommandLine(command.getValue(), factory);
                cli.addSubcommand(command.getKey(), command.getKey().equals("data") ? DataCommands.withIngest(sub, factory) : sub);
            }
        }
        // relative paths are the user's: against their directory, also when the server runs the command
        cli.registerConverter(java.nio.file.Path.class, ctx::path);
        cli.setOut(ctx.out);
        cli.setErr(ctx.err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        ErrorHandler errors = new ErrorHandler(ctx);
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        return cli;
    }

    /** Gives commands that want it the invocation's context through their constructor. */
    private record ContextFactory(CliContext ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                Constructor<K> withContext = cls.getDeclaredConstructor(CliContext.class);
                withContext.setAccessible(true);
                return withContext.newInstance(ctx);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
