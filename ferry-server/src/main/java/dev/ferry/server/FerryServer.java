package dev.ferry.server;

import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Ferry HTTP server: the API of {@code /api/v1} over one in-process {@link LocalFerry}, every route
 * but health behind a bearer token. Request threads are virtual: an event stream per watcher is cheap.
 */
public final class FerryServer implements AutoCloseable {
    private final LocalFerry ferry;
    private final byte[] token;
    private final Javalin app;
    private final List<String> routes;
    private final AtomicLong lastRequest = new AtomicLong(System.nanoTime());
    private final dev.ferry.server.ui.WebUi ui;
    private volatile Runnable onShutdownRequest = () -> {};
    /** Other ways a bearer is accepted (a cluster's ServiceAccount tokens), asked after the named tokens. */
    private final List<dev.ferry.core.auth.Authenticator> authenticators;

    /**
     * @param localPaths whether clients may name folders of this machine (push, download): true for a
     *     server bound to loopback, which only its own user's processes reach with the token
     */
    public FerryServer(LocalFerry ferry, String token, boolean localPaths) {
        this(ferry, token, localPaths, configuredAuthenticators());
    }

    /** With these authenticators instead of those the environment configures (tests). */
    public FerryServer(LocalFerry ferry, String token, boolean localPaths,
            List<dev.ferry.core.auth.Authenticator> authenticators) {
        this.authenticators = List.copyOf(authenticators);
        this.ferry = ferry;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        ApiRoutes routes = new ApiRoutes(ferry, localPaths, () -> onShutdownRequest.run());
        this.routes = routes.routes;
        this.ui = new dev.ferry.server.ui.WebUi(ferry, credential -> credential.bearer() == null
                ? java.util.Optional.of(dev.ferry.core.auth.Grant.ADMIN) : grantOf(credential.bearer()));
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            // bodies are read by the routes themselves, each within its own limit (ApiRoutes)
            config.http.maxRequestSize = Responses.JSON_BODY_LIMIT;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.routes.before(ApiRoutes.BASE + "/*", this::authenticate);
            routes.register(config.routes);
            config.routes.before("/ui/*", ctx -> lastRequest.set(System.nanoTime())); // a browser keeps the server up too
            ui.register(config.routes);
            config.routes.exception(FerryException.class, (e, ctx) -> Responses.error(ctx, e));
            config.routes.exception(java.io.IOException.class, (e, ctx) -> Responses.error(ctx, ErrorCode.INVALID_ARGUMENT,
                    "the request body ended early or could not be read (" + e.getMessage() + "); nothing of it was stored",
                    "send the request again"));
            config.routes.exception(Exception.class, (e, ctx) -> {
                // the details go to the log; a client sees no Java types or stack frames
                System.err.println("unexpected failure of " + ctx.method() + " " + ctx.path() + ":");
                e.printStackTrace();
                Responses.error(ctx, ErrorCode.INTERNAL, "unexpected server failure", "see the server log and report it");
            });
            config.routes.error(404, ctx -> {
                // our own 404s are JSON already; Javalin's "Endpoint ... not found" text is replaced
                String type = ctx.res().getContentType();
                if (ctx.path().startsWith("/ui/") || ctx.path().equals("/ui")) {
                    if (type == null || !type.startsWith("text/html")) {
                        ui.notFound(ctx); // a page of the UI's own, not the API's JSON
                    }
                } else if (type == null || !type.startsWith("application/json")) {
                    Responses.error(ctx, ErrorCode.NOT_FOUND, "no such route: " + ctx.method() + " " + ctx.path(),
                            "see docs/http-api.yaml for the routes of /api/v1");
                }
            });
            config.routes.error(405, ctx -> Responses.error(ctx, ErrorCode.NOT_FOUND,
                    "method " + ctx.method() + " is not allowed on " + ctx.path(), "see docs/http-api.yaml"));
        });
    }

    /** A fresh random bearer token (256 bits, URL-safe). */
    public static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Starts listening; port 0 picks a free one. Returns the port. */
    public int start(String host, int port) {
        // the rows engine's native library loads meanwhile, not in the first rows page a user waits for
        Thread.ofPlatform().daemon().name("ferry-rows-warm-up").start(dev.ferry.core.rows.ParquetRows::warmUp);
        app.start(host, port);
        return app.port();
    }

    /** The routes that need no token, as "METHOD /api/v1/path". */
    public static java.util.Set<String> publicRoutes() {
        return ApiRoutes.PUBLIC;
    }

    /** Every route as "METHOD /api/v1/path" (for the OpenAPI document's test). */
    public List<String> routes() {
        return List.copyOf(routes);
    }

    public int port() {
        return app.port();
    }

    public LocalFerry ferry() {
        return ferry;
    }

    /** What to do when a client asks the server to stop (the daemon stops itself). */
    public void onShutdownRequest(Runnable action) {
        this.onShutdownRequest = action;
    }

    public long lastRequestNanos() {
        return lastRequest.get();
    }

    private void authenticate(Context ctx) {
        lastRequest.set(System.nanoTime());
        if (ApiRoutes.PUBLIC.contains(ctx.method() + " " + ctx.path())) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null && ctx.method().toString().equals("GET")) {
            // a logged-in browser reads with its session: the run page's event stream, the export links
            var session = ui.sessionGrant(ctx);
            if (session.isPresent()) {
                ctx.attribute(Access.GRANT, session.get());
                return;
            }
        }
        String bearer = header == null || !header.startsWith("Bearer ") ? null : header.substring("Bearer ".length()).trim();
        var grant = bearer == null ? java.util.Optional.<dev.ferry.core.auth.Grant>empty() : grantOf(bearer);
        if (grant.isEmpty()) {
            throw new FerryException(ErrorCode.UNAUTHORIZED, header == null ? "the request has no bearer token"
                    : "the bearer token is not valid for this server (unknown or revoked)",
                    "use a token of this server (FERRY_TOKEN, 'ferry login', or $FERRY_HOME/server.json for the local one)");
        }
        ctx.attribute(Access.GRANT, grant.get());
        ctx.attribute(Access.BEARER, bearer);
    }

    /** What a bearer token may do: the server's own token, a named token, or one an authenticator vouches for. */
    private java.util.Optional<dev.ferry.core.auth.Grant> grantOf(String bearer) {
        byte[] given = bearer.getBytes(StandardCharsets.UTF_8);
        // constant time: the comparison must not tell how much of a guess was right
        if (MessageDigest.isEqual(given, token)) {
            return java.util.Optional.of(dev.ferry.core.auth.Grant.ADMIN);
        }
        var named = ferry.grantOf(bearer);
        for (int i = 0; named.isEmpty() && i < authenticators.size(); i++) {
            named = authenticators.get(i).authenticate(bearer);
        }
        return named;
    }

    /** The authenticators the modules on the class path offer for this environment (ServiceLoader). */
    private static List<dev.ferry.core.auth.Authenticator> configuredAuthenticators() {
        List<dev.ferry.core.auth.Authenticator> found = new java.util.ArrayList<>();
        for (var provider : java.util.ServiceLoader.load(dev.ferry.core.auth.AuthenticatorProvider.class)) {
            provider.create(System.getenv()).ifPresent(found::add);
        }
        return found;
    }

    @Override
    public void close() {
        ferry.stopServing(); // workers waiting on a request are let go first, to report to the next server
        app.stop();
        ui.close(); // after the last request: the thumbnails it made are stored
    }
}
