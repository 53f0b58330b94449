package dev.ferry.cli;

import dev.ferry.core.model.Label;
import dev.ferry.core.model.Repo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "repo", description = "Create, list, inspect and delete repos (named datasets).",
        subcommands = {RepoCommands.Create.class, RepoCommands.ListRepos.class, RepoCommands.Get.class,
            RepoCommands.Delete.class})
final class RepoCommands extends CommandGroup {

    @Command(name = "create", description = "Create a repo.")
    static final class Create extends FerryCommand {
        @Option(names = "--repo", required = true, description = "Repo name (letters, digits, '.', '_', '-').")
        String repo;

        @Option(names = "--description", defaultValue = "", description = "What the repo holds.")
        String description;

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            Repo created = ctx.api().createRepo(repo, description);
            if (ctx.json()) {
                ctx.printJson(created);
            } else {
                ctx.out.println("Created repo " + created.name());
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List repos.")
    static final class ListRepos extends FerryCommand {
        ListRepos(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            List<Repo> repos = ctx.api().listRepos();
            if (ctx.json()) {
                ctx.printJson(repos);
                return 0;
            }
            if (repos.isEmpty()) {
                ctx.note("No repos yet; create one with 'ferry repo create --repo NAME --description TEXT'.");
                return 0;
            }
            Table t = new Table("REPO", "BUNDLES", "CREATED", "DESCRIPTION");
            repos.forEach(r -> t.row(r.name(), r.bundleCount(), Human.time(r.createdAt()), r.description()));
            t.print(ctx.out);
            return 0;
        }
    }

    @Command(name = "get", description = "Show one repo and its labels.")
    static final class Get extends FerryCommand {
        @Option(names = "--repo", required = true, description = "Repo name.")
        String repo;

        Get(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            Repo r = ctx.api().getRepo(repo);
            List<Label> labels = ctx.api().listLabels(repo);
            if (ctx.json()) {
                Map<String, Object> doc = new LinkedHashMap<>(CliContext.mapper().convertValue(r, Map.class));
                doc.put("labels", labels);
                ctx.printJson(doc);
                return 0;
            }
            ctx.out.println("repo:        " + r.name());
            ctx.out.println("description: " + r.description());
            ctx.out.println("created:     " + Human.time(r.createdAt()) + " by " + r.createdBy());
            ctx.out.println("bundles:     " + r.bundleCount());
            for (Label l : labels) {
                ctx.out.println("label:       " + l.name() + " -> " + l.bundleId());
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a repo with its bundles and labels (space is reclaimed by 'ferry gc').")
    static final class Delete extends FerryCommand {
        @Option(names = "--repo", required = true, description = "Repo name.")
        String repo;

        @Option(names = "--force", description = "Delete even if the repo has bundles.")
        boolean force;

        Delete(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            ctx.api().deleteRepo(repo, force);
            if (ctx.json()) {
                ctx.printJson(Map.of("deleted", repo));
            } else {
                ctx.out.println("Deleted repo " + repo);
            }
            return 0;
        }
    }
}
