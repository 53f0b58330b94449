package dev.ferry.cli;

import dev.ferry.client.HttpFerry;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ferry login} and {@code ferry context list|use|delete}: named servers with their tokens. */
final class ContextCommands {
    private ContextCommands() {}

    @Command(name = "login", description = {"Remember a server (--server URL) and its token as a named context, and use it from now on.",
        "Checks that the server answers and takes the token. Contexts live in FERRY_HOME/contexts.yaml (mode 0600)."})
    static final class Login extends FerryCommand {
        @Option(names = "--token", description = "Its token (default: FERRY_TOKEN).")
        String token;

        @Option(names = "--name", description = "The context's name (default: the server's host and port).")
        String name;

        Login(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            // --server is the global option (every command has it): here it names the server to remember
            String server = ctx.serverUrl;
            if (server == null || server.isBlank()) {
                throw FerryException.invalid("ferry login needs the server", "pass --server URL, e.g. --server http://ferry.team:7433");
            }
            String secret = token != null ? token : ctx.env.get("FERRY_TOKEN");
            if (secret == null || secret.isBlank()) {
                throw FerryException.invalid("ferry login needs the server's token", "pass --token, or set FERRY_TOKEN");
            }
            URI uri;
            try {
                uri = URI.create(server.trim());
            } catch (IllegalArgumentException e) {
                throw FerryException.invalid("not a server URL: " + server, "write http://host:port");
            }
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw FerryException.invalid("not a server URL: " + server, "write http://host:port or https://host:port");
            }
            String contextName = name != null ? name : uri.getHost() + (uri.getPort() > 0 ? "-" + uri.getPort() : "");
            if (!contextName.matches("[A-Za-z0-9._-]{1,64}")) {
                throw FerryException.invalid("invalid context name '" + contextName + "'", "use letters, digits, '.', '_', '-'");
            }
            try (HttpFerry client = new HttpFerry(server.trim(), secret)) {
                client.listRepos(); // answers, and takes the token (401 otherwise)
            }
            Contexts.File all = Contexts.load(ctx.home().root());
            all.contexts().put(contextName, new Contexts.Context(server.trim(), secret));
            Contexts.save(ctx.home().root(), new Contexts.File(contextName, all.contexts()));
            if (ctx.json()) {
                ctx.printJson(Map.of("context", contextName, "server", server.trim()));
            } else {
                ctx.note("Logged in to " + server.trim() + " as context " + contextName + " (now current).");
            }
            return 0;
        }
    }

    @Command(name = "context", description = "List, switch and delete the servers 'ferry login' remembered.",
            subcommands = {ListContexts.class, Use.class, Delete.class, Add.class})
    static final class Group extends CommandGroup {}

    @Command(name = "add", description = {"Remember a Ferry release in a Kubernetes cluster as a context, and use it from now",
        "on: each command finds it through the kubeconfig, mints a ServiceAccount token and reaches the server",
        "by port-forward. Here --context names the kubeconfig's context."})
    static final class Add extends FerryCommand {
        @picocli.CommandLine.Parameters(index = "0", paramLabel = "NAME", description = "The context's name.")
        String name;

        @Option(names = "--kubernetes", required = true, description = "The context is a cluster's release.")
        boolean kubernetes;

        @Option(names = "--kubeconfig", paramLabel = "FILE", description = "The kubeconfig (default: KUBECONFIG, else ~/.kube/config).")
        String kubeconfig;

        @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "The release's namespace (default: the context's).")
        String namespace;

        Add(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            if (name.equals("local") || !name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw dev.ferry.core.error.FerryException.invalid("invalid context name '" + name + "'",
                        "use 1-64 letters, digits, '.', '_' or '-' (not 'local')");
            }
            String file = kubeconfig == null ? null : ctx.path(kubeconfig).toAbsolutePath().toString();
            // reach it once now: a context that cannot work is refused here, not at its first push
            try (dev.ferry.k8s.ClusterLink link = dev.ferry.k8s.ClusterLink.open(file, ctx.contextName, namespace, ctx.env);
                    dev.ferry.client.HttpFerry api = dev.ferry.client.HttpFerry.remote(link.url(), link.token(),
                            ctx.home().remoteStatCacheDir(link.cacheKey()))) {
                api.listRepos();
                Contexts.File all = Contexts.load(ctx.home().root());
                String ns = namespace != null ? namespace : link.cacheKey().substring(link.cacheKey().lastIndexOf('/') + 1);
                all.contexts().put(name, new Contexts.Context(null, null, new Contexts.Kube(file, ctx.contextName, ns)));
                Contexts.save(ctx.home().root(), new Contexts.File(name, all.contexts()));
                ctx.note("Added context " + name + ": " + link.describe() + "; it is the current context now.");
            }
            return 0;
        }
    }

    @Command(name = "list", description = "The contexts; * marks the current one (none: the local server).")
    static final class ListContexts extends FerryCommand {
        ListContexts(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            Contexts.File all = Contexts.load(ctx.home().root());
            if (ctx.json()) {
                List<Map<String, Object>> out = new java.util.ArrayList<>();
                all.contexts().forEach((n, c) -> {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("name", n);
                    one.put("server", c.shown());
                    one.put("current", n.equals(all.current()));
                    out.add(one);
                });
                ctx.printJson(out);
                return 0;
            }
            if (all.contexts().isEmpty()) {
                ctx.note("No contexts: commands use the local server. Add one with 'ferry login --server URL --token T'.");
                return 0;
            }
            Table t = new Table("", "NAME", "SERVER");
            all.contexts().forEach((n, c) -> t.row(n.equals(all.current()) ? "*" : "", n, c.shown()));
            t.print(ctx.out);
            return 0;
        }
    }

    @Command(name = "use", description = "Make a context current ('local': the local server again).")
    static final class Use extends FerryCommand {
        @Parameters(paramLabel = "NAME", description = "A context's name, or 'local'.")
        String name;

        Use(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            Contexts.File all = Contexts.load(ctx.home().root());
            if (!name.equals("local") && !all.contexts().containsKey(name)) {
                throw FerryException.notFound("no context named '" + name + "'", "see 'ferry context list'");
            }
            Contexts.save(ctx.home().root(), new Contexts.File(name.equals("local") ? null : name, all.contexts()));
            ctx.note(name.equals("local") ? "Using the local server." : "Using context " + name + " ("
                    + all.contexts().get(name).server() + ").");
            return 0;
        }
    }

    @Command(name = "delete", description = "Forget a context and its token.")
    static final class Delete extends FerryCommand {
        @Parameters(paramLabel = "NAME", description = "A context's name.")
        String name;

        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            Contexts.File all = Contexts.load(ctx.home().root());
            if (all.contexts().remove(name) == null) {
                throw new FerryException(ErrorCode.NOT_FOUND, "no context named '" + name + "'", "see 'ferry context list'");
            }
            Contexts.save(ctx.home().root(), new Contexts.File(name.equals(all.current()) ? null : all.current(), all.contexts()));
            ctx.note("Deleted context " + name + ".");
            return 0;
        }
    }
}
