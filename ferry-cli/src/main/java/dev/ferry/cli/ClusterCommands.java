package dev.ferry.cli;

import dev.ferry.core.FerryVersion;
import dev.ferry.k8s.AuthorizationRule;
import dev.ferry.k8s.ClusterAccess;
import dev.ferry.k8s.Installer;
import dev.ferry.k8s.Manifests;
import dev.ferry.k8s.Release;
import dev.ferry.k8s.ReleaseFinder;
import dev.ferry.k8s.ReleaseSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Ferry in a Kubernetes cluster, reached through the kubeconfig as kubectl reaches it: install the
 * release, find it, remove it. In these commands {@code --context} names the kubeconfig's context.
 */
@Command(name = "cluster", description = {"Ferry in a Kubernetes cluster: install, find and remove a release.",
    "The cluster is the kubeconfig's (--kubeconfig, else KUBECONFIG, else ~/.kube/config), as for kubectl;",
    "here --context names one of its contexts."},
        subcommands = {ClusterCommands.Install.class, ClusterCommands.Uninstall.class, ClusterCommands.Info.class})
final class ClusterCommands extends CommandGroup {

    /** The options every cluster command shares. */
    abstract static class ClusterCommand extends FerryCommand {
        @Option(names = "--kubeconfig", paramLabel = "FILE", description = "The kubeconfig (default: KUBECONFIG, else ~/.kube/config).")
        String kubeconfig;

        @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
                description = "The release's namespace (default: the kubeconfig context's, else 'default').")
        String namespace;

        ClusterCommand(CliContext ctx) {
            super(ctx);
        }

        ClusterAccess.Connection connect() {
            return ClusterAccess.connect(kubeconfig == null ? null : ctx.path(kubeconfig).toString(), ctx.contextName,
                    namespace, ctx.env);
        }
    }

    @Command(name = "install", description = {"Install (or update) Ferry in a namespace: ServiceAccounts, RBAC for Jobs",
        "and pod logs, the server Deployment and Service, its PVC or S3 settings, and the ingest authorization",
        "rules. With --dry-run -o yaml: print the manifests instead (kubectl apply -f, or commit them)."})
    static final class Install extends ClusterCommand {
        @Option(names = "--image", required = true, paramLabel = "IMAGE",
                description = "The server image (docs/kubernetes.md builds one), e.g. registry.example/ferry:0.1.0.")
        String image;

        @Option(names = "--store", paramLabel = "S3_URL", description = "Keep the data in S3 (s3://bucket/prefix); needs --catalog-secret.")
        String store;

        @Option(names = "--pvc", paramLabel = "NAME", description = "Keep the data on this existing PVC (default: a new PVC ferry-data).")
        String pvc;

        @Option(names = "--pvc-size", paramLabel = "SIZE", description = "Size of the PVC the install makes (default: 20Gi).")
        String pvcSize;

        @Option(names = "--catalog-secret", paramLabel = "NAME",
                description = "A Secret whose key 'url' is a PostgreSQL JDBC URL: the shared catalog (default: SQLite on the PVC).")
        String catalogSecret;

        @Option(names = "--allow", paramLabel = "NS/SA=GLOBS",
                description = "Who may ingest what: NAMESPACE/SERVICEACCOUNT=TABLE_GLOB[,...] (repeatable; default: the"
                        + " release's ferry-ingest account, every table).")
        List<String> allow = new ArrayList<>();

        @Option(names = "--worker-cpu", paramLabel = "QUANTITY", description = "CPU each run's Job requests (default: 1).")
        String workerCpu;

        @Option(names = "--worker-memory", paramLabel = "QUANTITY", description = "Memory each run's Job requests (default: 1Gi).")
        String workerMemory;

        @Option(names = "--run-deadline", paramLabel = "DURATION", description = "How long a run's Job may run (default: 6h).")
        String runDeadline;

        private ReleaseSpec.Workers workers() {
            return new ReleaseSpec.Workers(workerCpu, workerMemory,
                    runDeadline == null ? null : dev.ferry.core.model.Durations.parse(runDeadline));
        }

        @Option(names = "--dry-run", description = "Print what would be applied; change nothing.")
        boolean dryRun;

        Install(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            List<AuthorizationRule> rules = allow.stream().map(AuthorizationRule::parse).toList();
            if (dryRun) {
                // no cluster is needed to render: the namespace is -n, else 'default'
                ReleaseSpec spec = new ReleaseSpec(namespace == null ? "default" : namespace, image, store, pvc, pvcSize,
                        catalogSecret, rules, FerryVersion.current(), workers());
                var objects = Manifests.render(spec);
                if (ctx.output == OutputFormat.yaml) {
                    ctx.out.print(Manifests.yaml(objects));
                    ctx.out.flush();
                } else if (ctx.json()) {
                    ctx.printJson(objects);
                } else {
                    objects.forEach(o -> ctx.out.println(o.getKind() + "/" + o.getMetadata().getName()));
                    ctx.note("Would apply " + Human.plural(objects.size(), "object") + " to namespace " + spec.namespace()
                            + " (and make the Secret " + Manifests.ADMIN_SECRET + " with the admin token if absent);"
                            + " -o yaml prints them.");
                }
                return 0;
            }
            try (ClusterAccess.Connection c = connect()) {
                ReleaseSpec spec = new ReleaseSpec(c.target().namespace(), image, store, pvc, pvcSize, catalogSecret, rules,
                        FerryVersion.current(), workers());
                List<Installer.Change> changes = new Installer(c.client()).install(spec);
                if (ctx.json()) {
                    ctx.printJson(changes);
                } else {
                    changes.forEach(ch -> ctx.out.println(ch.kind() + "/" + ch.name() + " " + ch.action()));
                    ctx.note("Installed Ferry in namespace " + spec.namespace() + " of " + c.target().server()
                            + "; 'ferry cluster info -n " + spec.namespace() + "' shows when it is ready.");
                }
                return 0;
            }
        }
    }

    @Command(name = "uninstall", description = {"Remove a release from a namespace. Its data (the PVC the install made)",
        "and its admin token's Secret stay unless --purge."})
    static final class Uninstall extends ClusterCommand {
        @Option(names = "--purge", description = "Also delete the PVC the install made and the admin token's Secret.")
        boolean purge;

        Uninstall(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            try (ClusterAccess.Connection c = connect()) {
                List<Installer.Change> changes = new Installer(c.client()).uninstall(c.target().namespace(), purge);
                if (ctx.json()) {
                    ctx.printJson(changes);
                } else {
                    changes.forEach(ch -> ctx.out.println(ch.kind() + "/" + ch.name() + " " + ch.action()));
                    ctx.note("Removed Ferry from namespace " + c.target().namespace()
                            + (purge ? ", with its data." : "; its data is kept (--purge deletes it)."));
                }
                return 0;
            }
        }
    }

    @Command(name = "info", description = {"Find the Ferry release through the kubeconfig: cluster, namespace, server",
        "version and readiness, how the CLI reaches it, and the token it would present (minted with",
        "TokenRequest for the release's ferry-ingest account, else its token Secret) with its expiry.",
        "Exit 4 when Ferry is not installed there, 3 for a kubeconfig problem, 5 when RBAC refuses."})
    static final class Info extends ClusterCommand {
        Info(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            try (ClusterAccess.Connection c = connect()) {
                Release release = ReleaseFinder.find(c.client(), c.target().namespace());
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("kubeconfig", c.target().source());
                info.put("context", c.target().context());
                info.put("cluster", c.target().server());
                info.put("namespace", release.namespace());
                info.put("version", release.version());
                info.put("image", release.image());
                info.put("ready", release.readyReplicas() + "/" + release.replicas());
                info.put("reachedBy", "port-forward to service/" + release.service() + ":" + release.port()
                        + " through the API server");
                // the token the CLI would present: minting it proves the RBAC for it (exit 5 if refused)
                dev.ferry.k8s.IngestToken token = dev.ferry.k8s.IngestToken.mint(c.client(), release.namespace());
                info.put("token", token.source() + (token.expires() == null ? ", does not expire"
                        : ", expires " + token.expires()));
                if (ctx.json()) {
                    ctx.printJson(info);
                } else {
                    info.forEach((k, v) -> ctx.out.println(k + ": " + v));
                }
                if (!release.ready()) {
                    ctx.note("The server has no ready pod yet: 'kubectl -n " + release.namespace()
                            + " describe deployment/" + release.deployment() + "' says why.");
                }
                return 0;
            }
        }
    }
}
