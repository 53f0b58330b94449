package dev.ferry.cli;

import dev.ferry.core.api.FerryApi;
import dev.ferry.core.auth.LoginTickets;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.ServerInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ui", description = {"Print a one-time login link to the web UI of the server commands use (the local",
    "one by default; --context/--server for another): datasets, versions, rows with thumbnails, label",
    "histograms, diffs of versions, live runs. The link logs one browser in once, within 2 minutes."})
final class UiCommand extends FerryCommand {
    @Option(names = "--open", description = "Also open it in the desktop's browser (xdg-open).")
    boolean open;

    UiCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run() throws Exception {
        FerryApi api = ctx.api();
        String base = serverUrl(api);
        LoginTickets.Issued ticket = api.loginTicket();
        String url = base + "/ui/login?ticket=" + ticket.ticket();
        if (ctx.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("url", url);
            doc.put("expiresAt", ticket.expiresAt());
            ctx.printJson(doc);
        } else {
            ctx.out.println(url);
            ctx.out.flush();
            ctx.note("Open it within 2 minutes; it logs one browser in once (run 'ferry ui' again for another).");
        }
        if (open) {
            openInBrowser(url);
        }
        if (ctx.clusterLink() != null) {
            // the address is this command's port-forward: it stays open as long as the command runs
            ctx.note("The UI is reached through this command's port-forward: keep it running; Ctrl-C ends it.");
            ctx.waitUntilInterrupted();
        }
        return 0;
    }

    /** Where the server answers: the address the CLI uses for it, or the local server's. */
    private String serverUrl(FerryApi api) {
        if (api instanceof dev.ferry.client.HttpFerry http) {
            return http.serverUrl();
        }
        // run by the local server itself (the relayed CLI): its own address
        return ServerInfo.read(ctx.home().serverFile()).map(i -> "http://" + hostForUrl(i.host()) + ":" + i.port())
                .orElseThrow(() -> new FerryException(ErrorCode.UNREACHABLE, "no Ferry server runs for " + ctx.home().root()
                        + ": the web UI is served by one", "start it with 'ferry server start' (or 'ferry serve')"));
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private void openInBrowser(String url) {
        try {
            new ProcessBuilder("xdg-open", url).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (java.io.IOException e) {
            ctx.note("cannot open a browser here (" + e.getMessage() + "): open the link above yourself");
        }
    }
}
