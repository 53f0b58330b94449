package dev.ferry.cli;

import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.FerryConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "config", description = "Read and change settings in $FERRY_HOME/config.yaml.",
        subcommands = {ConfigCommands.Set.class, ConfigCommands.Get.class, ConfigCommands.Unset.class,
            ConfigCommands.ListConfig.class, ConfigCommands.Create.class})
final class ConfigCommands extends CommandGroup {

    static FerryConfig load(CliContext ctx) {
        return FerryConfig.load(ctx.home().configFile());
    }

    @Command(name = "set", description = "Set a key (user.name, user.email, catalog.url).")
    static final class Set extends FerryCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        Set(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            load(ctx).set(key, value);
            ctx.localServer().restartForNewSettings();
            if (ctx.json()) ctx.printJson(Map.of(key, value));
            return 0;
        }
    }

    @Command(name = "get", description = "Print a key's value (exit 2 if it is not set).")
    static final class Get extends FerryCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        Get(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            FerryConfig.checkKey(key);
            String value = load(ctx).get(key);
            if (value == null) {
                throw FerryException.notFound("config key '" + key + "' is not set", "set it with 'ferry config set "
                        + key + " VALUE'");
            }
            if (ctx.json()) ctx.printJson(Map.of(key, value));
            else ctx.out.println(value);
            return 0;
        }
    }

    @Command(name = "unset", description = "Remove a key.")
    static final class Unset extends FerryCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        Unset(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            load(ctx).unset(key);
            ctx.localServer().restartForNewSettings();
            return 0;
        }
    }

    @Command(name = "list", description = "Print every setting, and the keys Ferry knows.")
    static final class ListConfig extends FerryCommand {
        ListConfig(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            FerryConfig config = load(ctx);
            if (ctx.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("home", ctx.home().root().toString());
                doc.put("settings", config.all());
                ctx.printJson(doc);
                return 0;
            }
            config.all().forEach((k, v) -> ctx.out.println(k + "=" + (k.equals("catalog.url") ? dev.ferry.core.jdbc.JdbcDatabase.redact(v) : v)));
            ctx.note("FERRY_HOME=" + ctx.home().root());
            ctx.note("Known keys:");
            FerryConfig.KEYS.forEach((k, d) -> ctx.note("  " + k + ": " + d));
            return 0;
        }
    }

    @Command(name = "create", description = "Set your name and email in one go (as 'datamon config create').")
    static final class Create extends FerryCommand {
        @Option(names = "--name", required = true, description = "Your name, recorded on bundles.")
        String name;

        @Option(names = "--email", required = true, description = "Your email, recorded on bundles.")
        String email;

        Create(CliContext ctx) {
            super(ctx);
        }

        @Override
        protected int run() {
            FerryConfig config = load(ctx);
            config.set("user.name", name);
            config.set("user.email", email);
            ctx.note("Saved user.name and user.email to " + ctx.home().configFile());
            ctx.localServer().restartForNewSettings();
            return 0;
        }
    }
}
