package dev.ferry.client;

import dev.ferry.core.api.FerryApi;
import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.home.FerryHome;
import dev.ferry.server.FerryServer;
import java.nio.file.Path;

/**
 * The contract against a remote-style server: it never touches the client's folders (it refuses
 * paths), so uploads and pushes go with the missing-blobs + pack protocol and downloads come back as
 * blobs. The results and the runs' events must be the same as in-process.
 */
class RemoteHttpFerryApiTest extends FerryApiContract {
    private FerryServer server;

    @Override
    protected FerryApi open(Path home) {
        String token = FerryServer.newToken();
        server = new FerryServer(LocalFerry.open(new FerryHome(home)), token, false);
        int port = server.start("127.0.0.1", 0);
        return HttpFerry.remote("http://127.0.0.1:" + port, token, home.resolveSibling("client-cache"));
    }

    @Override
    protected void shut() {
        server.close();
        server.ferry().close();
    }
}
