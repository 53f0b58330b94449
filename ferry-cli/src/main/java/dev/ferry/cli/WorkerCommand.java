package dev.ferry.cli;

import dev.ferry.client.HttpFerry;
import dev.ferry.client.RemoteRunContext;
import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.run.Run;
import dev.ferry.core.run.RunCancelled;
import dev.ferry.core.run.RunOutcome;
import dev.ferry.core.run.WorkerReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry worker --run ID}: what a Kubernetes Job runs. Does the run's work on the shared store
 * (FERRY_CATALOG, FERRY_STORE, FERRY_HOME as the server has them) and reports every step to the server
 * that holds the run (FERRY_SERVER, FERRY_TOKEN), whose Orchestrator records it. Exit 0 when the work
 * ended well, else its error's exit code. A server that stops meanwhile does not stop the work: reports
 * are sent again until the next server takes the run up (FERRY_WORKER_PATIENCE, 10 minutes by default).
 */
@Command(name = "worker", hidden = true, description = {"Do one run of a server elsewhere (what a Kubernetes Job runs),",
    "reporting to the server named by FERRY_SERVER (FERRY_TOKEN: its admin token)."})
final class WorkerCommand extends FerryCommand {
    /** How long the worker keeps reporting to a server that is away (a duration: 10m, 1h). */
    static final String PATIENCE_ENV = "FERRY_WORKER_PATIENCE";

    @Option(names = "--run", required = true, paramLabel = "ID", description = "The run to do.")
    String runId;

    WorkerCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        String url = ctx.env.get("FERRY_SERVER");
        if (url == null || url.isBlank()) {
            throw FerryException.invalid("ferry worker needs FERRY_SERVER: the server that holds the run",
                    "it runs in a Job 'ferry cluster install' set up; see docs/kubernetes.md");
        }
        java.time.Duration patience = RemoteRunContext.DEFAULT_PATIENCE;
        String patienceText = ctx.env.get(PATIENCE_ENV);
        if (patienceText != null && !patienceText.isBlank()) {
            patience = dev.ferry.core.model.Durations.parse(patienceText);
        }
        try (HttpFerry server = new HttpFerry(url, ctx.env.get("FERRY_TOKEN"));
                RemoteRunContext reports = new RemoteRunContext(server, runId, patience, line -> {
                    ctx.out.println(line);
                    ctx.out.flush();
                })) {
            reports.say("ferry worker " + VersionInfo.version() + ": run " + runId + ", reporting to " + url);
            Run run = reports.patiently("asking for the run", () -> server.getRun(runId));
            try (LocalFerry store = LocalFerry.open(ctx.home())) {
                RunOutcome outcome = store.work(run.spec(), reports);
                reports.end(new WorkerReport.Done(outcome.result(), outcome.delegatedBecause()));
                ctx.note("run " + runId + " done");
                return 0;
            } catch (RunCancelled e) {
                reports.end(new WorkerReport.Failed(ErrorCode.INTERRUPTED.name(), "cancelled", null));
                ctx.note("run " + runId + " cancelled");
                return ErrorCode.INTERRUPTED.exitCode();
            } catch (FerryException e) {
                reports.end(new WorkerReport.Failed(e.code().name(), e.getMessage(), e.hint()));
                throw e;
            } catch (RuntimeException e) {
                reports.end(new WorkerReport.Failed(ErrorCode.INTERNAL.name(), "the worker failed: " + e,
                        "see the Job's log ('kubectl logs job/...') and report it"));
                throw e;
            }
        }
    }
}
