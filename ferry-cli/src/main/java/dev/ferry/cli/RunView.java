package dev.ferry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.api.PushResult;
import dev.ferry.core.api.UploadResult;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.model.Json;
import dev.ferry.core.run.LoggedEvent;
import dev.ferry.core.run.Run;
import dev.ferry.core.run.RunEvent;
import dev.ferry.core.run.RunState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shows a run as it happens, from its events: a progress bar on a terminal, a line per phase
 * otherwise, every event as a JSON line with {@code -o json}; then the run's summary and the exit
 * code its end stands for. {@code dataset push} and {@code runs watch} show runs the same way.
 */
final class RunView {
    private static final ObjectMapper LINES = Json.MAPPER;

    private final CliContext ctx;
    private ProgressDisplay.Handle bar;
    private ProgressDisplay.RecordsBar recordsBar = ProgressDisplay.RecordsBar.NONE;
    private RunState phase;
    private long barBytesTotal;
    private long barBytesDone;
    private long barFiles;

    RunView(CliContext ctx) {
        this.ctx = ctx;
    }

    /** Follows the run from after event {@code after} to its end; returns the exit code of how it ended. */
    int follow(String runId, long after) throws InterruptedException {
        try (CliContext.Disarm detach = ctx.onInterrupt(
                "\nDetached from run " + runId + "; it keeps going. Reattach: ferry runs watch " + runId, this::closeBar)) {
            ctx.api().watchRun(runId, after, this::show);
        } finally {
            closeBar();
        }
        Run run = ctx.api().getRun(runId);
        return finish(run);
    }

    private boolean show(LoggedEvent e) {
        if (ctx.json()) {
            try {
                ctx.out.println(LINES.writeValueAsString(e));
            } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
                throw new IllegalStateException(x);
            }
            ctx.out.flush();
            return true;
        }
        switch (e.event()) {
            case RunEvent.StateChanged s -> {
                closeBar();
                phase = s.state();
                if (s.state() == RunState.STAGING && ctx.interactive) {
                    bar = ProgressDisplay.create(ctx, "Staging");
                    barBytesTotal = barBytesDone = barFiles = 0;
                } else if (s.state() == RunState.EXECUTING && ctx.interactive) {
                    recordsBar = ProgressDisplay.records(ctx, "Ingesting");
                }
                ctx.note(s.state().id() + (s.message() == null ? "" : ": " + s.message()));
            }
            case RunEvent.Progress p when p.phase() == RunState.EXECUTING && p.phase() == phase
                    && p.recordsDone() + p.recordsTotal() > 0 -> recordsBar.update(p.recordsDone(), p.recordsTotal());
            case RunEvent.Progress p when bar != null && p.phase() == phase -> {
                if (p.bytesTotal() > barBytesTotal) {
                    bar.listener().found(p.bytesTotal() - barBytesTotal);
                    barBytesTotal = p.bytesTotal();
                }
                if (p.bytesDone() > barBytesDone) {
                    bar.listener().progressed(p.bytesDone() - barBytesDone);
                    barBytesDone = p.bytesDone();
                }
                for (; barFiles < p.filesDone(); barFiles++) {
                    bar.listener().fileDone();
                }
            }
            case RunEvent.Log l when !l.level().equals("debug") -> ctx.note(l.level() + ": " + l.message());
            default -> { }
        }
        return true;
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        recordsBar.close();
        recordsBar = ProgressDisplay.RecordsBar.NONE;
    }

    /** Prints how the run ended (its summary, or its error) and returns the exit code that stands for it. */
    int finish(Run run) {
        int exit = exitCode(run);
        if (ctx.json()) {
            // the last of the JSON lines: one line, like the events before it
            ctx.out.println(Json.write(summaryDoc(run, exit)));
            ctx.out.flush();
            return exit;
        }
        switch (run.state()) {
            case COMPLETED, DELEGATED -> {
                if (run.kind().equals("push")) {
                    PushResult r = Json.MAPPER.convertValue(run.result(), PushResult.class);
                    SummaryPanel.lines(r).forEach(ctx.out::println);
                    r.summary().failures().forEach(f -> ctx.out.println("  failed: " + f));
                    if (exit != 0) {
                        ctx.err.println("error: " + r.summary().failed() + " records failed; the others were ingested as"
                                + " version " + r.bundle().id() + " — fix the records listed above and push again");
                    }
                } else {
                    UploadResult r = Json.MAPPER.convertValue(run.result(), UploadResult.class);
                    ctx.out.println(r.bundle().id());
                }
            }
            case FAILED -> ctx.err.println("error: " + run.failure().message()
                    + (run.failure().hint() == null ? "" : " — " + run.failure().hint()));
            case CANCELLED -> ctx.err.println("run " + run.id() + " was cancelled; nothing of it was committed");
            default -> ctx.err.println("run " + run.id() + " is " + run.state().id());
        }
        ctx.out.flush();
        ctx.err.flush();
        return exit;
    }

    static int exitCode(Run run) {
        return switch (run.state()) {
            case COMPLETED, DELEGATED -> run.kind().equals("push")
                    && run.result().path("summary").path("failed").asLong() > 0 ? ErrorCode.RUN_FAILED.exitCode() : 0;
            case FAILED -> run.failure().exitCode();
            case CANCELLED -> ErrorCode.INTERRUPTED.exitCode();
            default -> 0;
        };
    }

    /** The run's end as one JSON object: for a push, what {@code dataset push -o json} always printed. */
    static Map<String, Object> summaryDoc(Run run, int exit) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("type", "summary");
        doc.put("runId", run.id());
        doc.put("state", run.state().id());
        if (run.result() != null && run.kind().equals("push")) {
            PushResult r = Json.MAPPER.convertValue(run.result(), PushResult.class);
            doc.put("table", r.table());
            doc.put("category", r.category());
            doc.put("version", r.bundle().id());
            doc.put("newVersion", r.newVersion());
            doc.put("summary", r.summary().asMap());
            doc.put("elapsedMs", r.elapsed().toMillis());
        } else if (run.result() != null) {
            doc.put("result", run.result());
        }
        if (run.failure() != null) {
            doc.put("error", Map.of("code", run.failure().code(), "message", run.failure().message(),
                    "hint", run.failure().hint() == null ? "" : run.failure().hint()));
        }
        doc.put("exitCode", exit);
        return doc;
    }
}
