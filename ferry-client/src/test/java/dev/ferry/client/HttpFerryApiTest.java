package dev.ferry.client;

import dev.ferry.core.api.FerryApi;
import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.home.FerryHome;
import dev.ferry.server.FerryServer;
import java.nio.file.Path;

/** The contract over HTTP: a real server on loopback, the client talking to it. */
class HttpFerryApiTest extends FerryApiContract {
    private FerryServer server;

    @Override
    protected FerryApi open(Path home) {
        String token = FerryServer.newToken();
        server = new FerryServer(LocalFerry.open(new FerryHome(home)), token, true);
        int port = server.start("127.0.0.1", 0);
        return new HttpFerry("http://127.0.0.1:" + port, token);
    }

    @Override
    protected void shut() {
        server.close();
        server.ferry().close();
    }
}
