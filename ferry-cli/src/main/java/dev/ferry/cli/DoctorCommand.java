package dev.ferry.cli;

import dev.ferry.client.HttpFerry;
import dev.ferry.core.FerryVersion;
import dev.ferry.core.api.Wire;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.k8s.ClusterDoctor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * `ferry doctor`: checks the path to the server this invocation would use — a cluster context step by
 * step (kubeconfig, API server, release, token, server pod, port-forward, server, store), a remote
 * server (answers, version, token, store), or the local one — and says what to fix at the first step
 * that fails.
 */
@Command(name = "doctor", description = {"Check the way to the server commands use (a cluster context: kubeconfig, RBAC,",
    "release, token, port-forward, server, store; a remote server: reachable, version, token, store; else the",
    "local server and its store)",
    "and say what to fix. Exit 0 when every step passes, else the first failure's exit code."})
final class DoctorCommand extends FerryCommand {
    DoctorCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() {
        List<ClusterDoctor.Step> steps = new ArrayList<>();
        var context = ctx.serverUrl == null && ctx.env.get("FERRY_SERVER") == null
                ? Contexts.selected(ctx.home().root(), ctx.contextName) : java.util.Optional.<Contexts.Context>empty();
        if (context.isPresent() && context.get().kubernetes() != null) {
            Contexts.Kube k = context.get().kubernetes();
            steps.addAll(ClusterDoctor.run(k.kubeconfig(), k.context(), k.namespace(), ctx.env,
                    link -> serverAnswers(new HttpFerry(link.url(), link.token())),
                    link -> storeAnswers(new HttpFerry(link.url(), link.token()))));
        } else if (ClusterDoctor.step(steps, "server", () -> serverAnswers(ctx.api()))) {
            ClusterDoctor.step(steps, "store", () -> storeAnswers(ctx.api()));
        }
        return print(steps);
    }

    /** What the server says of itself, once it has accepted the token (a listing needs one). */
    private static String serverAnswers(dev.ferry.core.api.FerryApi api) {
        String version = "";
        if (api instanceof HttpFerry http) {
            Wire.Health health = http.health();
            version = "Ferry " + health.version() + (health.version().equals(FerryVersion.current()) ? ""
                    : " (this CLI is " + FerryVersion.current() + ")") + ", ";
        }
        int repos = api.listRepos().size();
        return version + "token accepted, " + repos + (repos == 1 ? " repo" : " repos") + " visible";
    }

    /** Where the server keeps its catalog and packs, once both answered it. */
    private static String storeAnswers(dev.ferry.core.api.FerryApi api) {
        Wire.StoreCheck store = api.checkStore();
        return "catalog " + store.catalog() + ", packs " + store.packs() + ": both answer";
    }

    private int print(List<ClusterDoctor.Step> steps) {
        ClusterDoctor.Step failed = steps.stream().filter(s -> !s.ok()).findFirst().orElse(null);
        if (ctx.json()) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (ClusterDoctor.Step s : steps) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("check", s.check());
                one.put("ok", s.ok());
                if (s.ok()) {
                    one.put("found", s.found());
                } else {
                    one.put("code", s.failure().code().name());
                    one.put("message", s.failure().getMessage());
                    one.put("hint", s.failure().hint());
                }
                out.add(one);
            }
            ctx.printJson(out);
        } else {
            for (ClusterDoctor.Step s : steps) {
                ctx.out.println(s.ok() ? "ok    " + s.check() + ": " + s.found()
                        : "FAIL  " + s.check() + ": " + s.failure().getMessage()
                                + (s.failure().hint() == null ? "" : "\n      fix: " + s.failure().hint()));
            }
        }
        ctx.out.flush();
        return failed == null ? 0 : failed.failure().code() == ErrorCode.INTERNAL ? 1 : failed.failure().code().exitCode();
    }
}
