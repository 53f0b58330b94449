package dev.ferry.cli;

import dev.ferry.core.api.Wire;
import dev.ferry.core.auth.Token;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "token", description = {"Named tokens of a server: scoped to tables and/or read-only, revocable.",
    "Managed with the server's admin token (the local server's own, or FERRY_TOKEN)."},
        subcommands = {TokenCommands.Create.class, TokenCommands.ListTokens.class, TokenCommands.Revoke.class})
final class TokenCommands extends CommandGroup {

    @Command(name = "create", description = {"Create a token and print its secret on stdout, this once only.",
        "Give it to whoever pushes: FERRY_TOKEN=<secret>, or 'ferry login --server URL --token <secret>'."})
    static final class Create extends FerryCommand {
        @Option(names = "--name", required = true, description = "Its name (1-64 letters, digits, '.', '_', '-'); never reused.")
        String name;

        @Option(names = "--tables", paramLabel = "GLOB",
                description = "Only tables matching this (* and ? as wildcards, e.g. 'team_a_*'); default: all.")
        String tables;

        @Option(names = "--read-only", description = "It may read, but change nothing.")
        boolean readOnly;

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            Wire.CreatedToken made = ctx.api().createToken(name, tables, readOnly);
            if (ctx.json()) {
                ctx.printJson(made);
                return 0;
            }
            ctx.out.println(made.secret());
            ctx.note("Created token " + name + " (" + scope(made.token()) + "). Its secret (above) is shown this once:"
                    + " keep it now.");
            return 0;
        }
    }

    static String scope(Token t) {
        return (t.tables() == null ? "all tables" : "tables " + t.tables()) + (t.readOnly() ? ", read-only" : "");
    }

    @Command(name = "list", description = "List the server's named tokens (never their secrets).")
    static final class ListTokens extends FerryCommand {
        ListTokens(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            List<Token> tokens = ctx.api().listTokens();
            if (ctx.json()) {
                ctx.printJson(tokens);
                return 0;
            }
            if (tokens.isEmpty()) {
                ctx.note("No named tokens yet; create one with 'ferry token create --name NAME [--tables GLOB] [--read-only]'.");
                return 0;
            }
            Table t = new Table("NAME", "SCOPE", "CREATED", "REVOKED");
            tokens.forEach(k -> t.row(k.name(), scope(k), Human.time(k.createdAt()),
                    k.revokedAt() == null ? "" : Human.time(k.revokedAt())));
            t.print(ctx.out);
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a token: it stops working at once (its name is not reused).")
    static final class Revoke extends FerryCommand {
        @Option(names = "--name", required = true, description = "The token's name.")
        String name;

        Revoke(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            Token revoked = ctx.api().revokeToken(name);
            if (ctx.json()) {
                ctx.printJson(revoked);
            } else {
                ctx.note("Revoked token " + name + ".");
            }
            return 0;
        }
    }
}
