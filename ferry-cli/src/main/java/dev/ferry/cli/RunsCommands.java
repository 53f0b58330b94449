package dev.ferry.cli;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Json;
import dev.ferry.core.run.LoggedEvent;
import dev.ferry.core.run.Run;
import dev.ferry.core.run.RunEvent;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "runs", description = "List, follow and cancel runs (pushes and uploads) of the server.",
        subcommands = {RunsCommands.ListRuns.class, RunsCommands.Show.class, RunsCommands.Watch.class,
            RunsCommands.Logs.class, RunsCommands.Cancel.class})
final class RunsCommands extends CommandGroup {

    @Command(name = "list", description = "The newest runs, oldest first.")
    static final class ListRuns extends FerryCommand {
        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        ListRuns(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            List<Run> runs = ctx.api().listRuns(limit);
            if (ctx.json()) {
                ctx.printJson(runs);
                return 0;
            }
            Table t = new Table("RUN", "KIND", "STATE", "TARGET", "CREATED", "UPDATED");
            runs.forEach(r -> t.row(r.id(), r.kind(), r.state().id(), r.target() == null ? "" : r.target(),
                    Human.time(r.createdAt()), Human.time(r.updatedAt())));
            t.print(ctx.out);
            return 0;
        }
    }

    @Command(name = "show", description = "One run: its state, target, result or error.")
    static final class Show extends FerryCommand {
        @Parameters(index = "0", paramLabel = "RUN")
        String id;

        Show(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            Run run = ctx.api().getRun(id);
            if (ctx.json()) {
                ctx.printJson(run);
                return 0;
            }
            ctx.out.println("run       " + run.id());
            ctx.out.println("kind      " + run.kind());
            ctx.out.println("state     " + run.state().id());
            ctx.out.println("target    " + (run.target() == null ? "-" : run.target()));
            ctx.out.println("created   " + Human.time(run.createdAt()));
            ctx.out.println("updated   " + Human.time(run.updatedAt()) + " (event " + run.lastSeq() + ")");
            if (run.idempotencyKey() != null) {
                ctx.out.println("key       " + run.idempotencyKey());
            }
            if (run.terminal()) {
                ctx.out.flush();
                new RunView(ctx).finish(run);
            }
            ctx.out.flush();
            return 0;
        }
    }

    @Command(name = "watch", description = {"Follow a run's progress to its end, then print its summary.",
        "Exits with the code of how the run ended (0, 2, 7, 9, ...); Ctrl-C only stops watching."})
    static final class Watch extends FerryCommand {
        @Parameters(index = "0", paramLabel = "RUN")
        String id;

        Watch(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() throws InterruptedException {
            return new RunView(ctx).follow(id, 0);
        }
    }

    @Command(name = "logs", description = {"A run's log. For a run done elsewhere (a Kubernetes Job) its worker's own output",
        "(the pod's log) while that is kept; otherwise, or with --events, every event of the run, one per line.",
        "With --follow, then the rest as it comes until the run ends (Ctrl-C stops following; the run goes on)."})
    static final class Logs extends FerryCommand {
        @Parameters(index = "0", paramLabel = "RUN")
        String id;

        @Option(names = "--after", defaultValue = "0", description = "Only events after this sequence number (implies --events).")
        long after;

        @Option(names = {"-f", "--follow"}, description = "Keep printing until the run ends.")
        boolean follow;

        @picocli.CommandLine.ArgGroup(exclusive = true)
        Source source;

        static final class Source {
            @Option(names = "--events", description = "The run's events, whoever did its work.")
            boolean events;

            @Option(names = "--worker", description = "The worker's own output (a Job pod's log); an error if it has none.")
            boolean worker;
        }

        Logs(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() throws InterruptedException {
            boolean events = source != null && source.events || after > 0 || ctx.json();
            boolean worker = source != null && source.worker;
            if (worker && ctx.json()) {
                throw FerryException.invalid("a worker's log is text, not JSON", "drop -o json, or use --events for JSON lines");
            }
            if (!events) {
                try {
                    ctx.out.flush();
                    java.io.OutputStream out = ctx.stdout();
                    ctx.api().copyWorkerLog(id, follow, out);
                    out.flush();
                    return 0;
                } catch (FerryException e) {
                    if (worker || e.code() != ErrorCode.NOT_FOUND) {
                        throw e;
                    }
                    // no worker of its own (or no such run: the events say so): its events are its log
                } catch (java.io.IOException e) {
                    throw new FerryException(ErrorCode.UNREACHABLE, "the worker's log broke off: " + e.getMessage(),
                            "run 'ferry runs logs " + id + (follow ? " --follow" : "") + "' again");
                }
            }
            if (follow) {
                ctx.api().watchRun(id, after, e -> {
                    ctx.out.println(ctx.json() ? Json.write(e) : line(e));
                    ctx.out.flush();
                    return true;
                });
                return 0;
            }
            long seen = after;
            while (true) {
                List<LoggedEvent> page = ctx.api().runEvents(id, seen);
                if (page.isEmpty()) {
                    break;
                }
                for (LoggedEvent e : page) {
                    ctx.out.println(ctx.json() ? Json.write(e) : line(e));
                    seen = e.seq();
                }
            }
            ctx.out.flush();
            return 0;
        }

        private static String line(LoggedEvent e) {
            String what = switch (e.event()) {
                case RunEvent.Received r -> "received " + r.spec().kind();
                case RunEvent.StateChanged s -> s.state().id() + (s.message() == null ? "" : ": " + s.message());
                case RunEvent.Planned p -> "planned " + p.target() + (p.detail() == null ? "" : " (" + p.detail() + ")");
                case RunEvent.Progress p -> "progress " + p.phase().id() + " files " + p.filesDone() + "/" + p.filesTotal()
                        + " bytes " + p.bytesDone() + "/" + p.bytesTotal() + " records " + p.recordsDone() + "/"
                        + p.recordsTotal();
                case RunEvent.Log l -> l.level() + " " + l.message();
                case RunEvent.Completed c -> "completed";
                case RunEvent.Delegated d -> "delegated: " + d.reason();
                case RunEvent.Failed f -> "failed " + f.code() + ": " + f.message();
                case RunEvent.Cancelled c -> "cancelled: " + c.reason();
            };
            return String.format("%5d %s %s", e.seq(), e.at(), what);
        }
    }

    @Command(name = "cancel", description = "Ask a run to stop at its next safe point; nothing half-done is kept.")
    static final class Cancel extends FerryCommand {
        @Parameters(index = "0", paramLabel = "RUN")
        String id;

        Cancel(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            Run run = ctx.api().cancelRun(id);
            if (ctx.json()) {
                ctx.printJson(run);
            } else {
                ctx.note("Asked run " + id + " to stop; 'ferry runs watch " + id + "' shows when it has.");
            }
            return 0;
        }
    }
}
