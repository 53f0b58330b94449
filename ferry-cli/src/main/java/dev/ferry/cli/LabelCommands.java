package dev.ferry.cli;

import dev.ferry.core.catalog.LabelCondition;
import dev.ferry.core.model.Label;
import dev.ferry.core.model.LabelMove;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "label", description = "Point names (labels) at bundles; every move is recorded.",
        subcommands = {LabelCommands.Set.class, LabelCommands.Get.class, LabelCommands.ListLabels.class,
            LabelCommands.History.class})
final class LabelCommands extends CommandGroup {

    @Command(name = "set", description = {"Point a label at a bundle (creating or moving it).",
        "With --expect it is a compare-and-set: it only moves if the label still names that bundle."})
    static final class Set extends FerryCommand {
        @Option(names = "--repo", required = true, description = "Repo name.")
        String repo;

        @Option(names = "--label", required = true, description = "Label name.")
        String label;

        @Option(names = "--bundle", required = true, paramLabel = "ID", description = "Bundle id to point at.")
        String bundle;

        @Option(names = "--expect", paramLabel = "ID|none",
                description = "Only move if the label names this bundle now ('none': only create it).")
        String expect;

        Set(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            LabelCondition condition = expect == null ? LabelCondition.ANY
                    : "none".equals(expect) ? LabelCondition.ABSENT
                    : LabelCondition.pointsTo(expect);
            LabelMove move = ctx.api().setLabel(repo, label, bundle, condition);
            if (ctx.json()) {
                ctx.printJson(move);
            } else if (move.fromBundle() == null) {
                ctx.out.println("Label " + label + " -> " + bundle + " (new)");
            } else if (move.fromBundle().equals(bundle)) {
                ctx.out.println("Label " + label + " -> " + bundle + " (unchanged)");
            } else {
                ctx.out.println("Label " + label + " -> " + bundle + " (was " + move.fromBundle() + ")");
            }
            return 0;
        }
    }

    @Command(name = "get", description = "Print the bundle id a label names.")
    static final class Get extends FerryCommand {
        @Option(names = "--repo", required = true, description = "Repo name.")
        String repo;

        @Option(names = "--label", required = true, description = "Label name.")
        String label;

        Get(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            Label l = ctx.api().getLabel(repo, label);
            if (ctx.json()) {
                ctx.printJson(l);
            } else {
                ctx.out.println(l.bundleId());
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List a repo's labels.")
    static final class ListLabels extends FerryCommand {
        @Option(names = "--repo", required = true, description = "Repo name.")
        String repo;

        ListLabels(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            List<Label> labels = ctx.api().listLabels(repo);
            if (ctx.json()) {
                ctx.printJson(labels);
                return 0;
            }
            Table t = new Table("LABEL", "BUNDLE", "UPDATED", "BY");
            labels.forEach(l -> t.row(l.name(), l.bundleId(), Human.time(l.updatedAt()), l.updatedBy()));
            t.print(ctx.out);
            return 0;
        }
    }

    @Command(name = "history", description = "Show every move of a label (or of all labels), oldest first.")
    static final class History extends FerryCommand {
        @Option(names = "--repo", required = true, description = "Repo name.")
        String repo;

        @Option(names = "--label", description = "Only this label.")
        String label;

        History(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            List<LabelMove> moves = ctx.api().labelHistory(repo, label);
            if (ctx.json()) {
                ctx.printJson(moves);
                return 0;
            }
            Table t = new Table("WHEN", "LABEL", "FROM", "TO", "BY");
            moves.forEach(m -> t.row(Human.time(m.at()), m.label(), m.fromBundle() == null ? "-" : m.fromBundle(),
                    m.toBundle(), m.by()));
            t.print(ctx.out);
            return 0;
        }
    }

}
