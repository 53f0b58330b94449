package dev.ferry.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.core.auth.Grant;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.run.RunSpec;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the caller's token allows, checked before a route does anything: admin routes need the
 * server's own token; a change needs a token that is not read-only; a table (in the path, in a body,
 * in a run's spec) must match the token's scope. Refusals are FORBIDDEN (403, exit 5).
 */
final class Access {
    static final String GRANT = "ferry.grant";
    /** The bearer token a request was authenticated with (none for a browser's session). */
    static final String BEARER = "ferry.bearer";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Access() {}

    static Grant grant(Context ctx) {
        Grant g = ctx.attribute(GRANT);
        if (g == null) {
            throw new FerryException(ErrorCode.UNAUTHORIZED, "the request has no bearer token", null);
        }
        return g;
    }

    /** The route's own check: its kind (admin, change or read) and the table its path names, if any. */
    static void check(Context ctx, boolean admin, boolean write) {
        Grant g = grant(ctx);
        if (admin && !g.admin()) {
            throw forbidden(g.who() + " may not " + ctx.method() + " " + ctx.path() + ": only the server's admin token may",
                    "ask whoever runs the server");
        }
        if (write && !g.mayWrite()) {
            throw forbidden(g.who() + " is read-only: it may not " + ctx.method() + " " + ctx.path(),
                    "use a token that may write ('ferry token create' without --read-only)");
        }
        var params = ctx.pathParamMap();
        String table = params.containsKey("repo") ? params.get("repo") : params.get("table");
        if (table != null) {
            table(ctx, table, write);
        }
    }

    /** A table the request reads or changes. */
    static void table(Context ctx, String table, boolean write) {
        Grant g = grant(ctx);
        if (table != null && !g.allows(table, write)) {
            throw forbidden(g.who() + " may not " + (write ? "change" : "read") + " table '" + table + "'",
                    "use a token whose --tables matches it");
        }
    }

    /** A run: it changes the table its spec names (for a push: --table, or the config's table). */
    static void run(Context ctx, RunSpec spec) {
        Grant g = grant(ctx);
        if (g.admin() || spec == null) {
            return;
        }
        String table = switch (spec) {
            case RunSpec.Upload u -> u.repo();
            case RunSpec.Push p -> tableOf(p);
        };
        if (table == null) {
            if (g instanceof Grant.Scoped s && s.tables() == null) {
                return; // any table will do
            }
            throw forbidden("cannot tell which table this push goes to, and " + g.who() + " may change only some",
                    "name it with --table");
        }
        table(ctx, table, true);
    }

    private static String tableOf(RunSpec.Push push) {
        if (push.flags() != null && push.flags().table() != null) {
            return push.flags().table();
        }
        try {
            if (push.configText() != null) {
                return YAML.readTree(push.configText()).path("table").asText(null);
            }
            if (push.configFile() != null && Files.isRegularFile(Path.of(push.configFile()))) {
                return YAML.readTree(Files.readString(Path.of(push.configFile()))).path("table").asText(null);
            }
        } catch (IOException | RuntimeException unreadable) {
            return null; // the run's own checks say what is wrong with the config
        }
        return null;
    }

    private static FerryException forbidden(String message, String hint) {
        return new FerryException(ErrorCode.FORBIDDEN, message, hint);
    }
}
