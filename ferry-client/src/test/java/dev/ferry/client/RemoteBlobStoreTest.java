package dev.ferry.client;

import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.blob.BlobStoreContract;
import dev.ferry.core.home.FerryHome;
import dev.ferry.server.FerryServer;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The blob store contract as a client sees a remote server's store: over HTTP, to a real server. */
class RemoteBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path tmp;
    private FerryServer server;
    private HttpFerry client;

    @Override
    protected BlobStore newStore() {
        String token = FerryServer.newToken();
        server = new FerryServer(LocalFerry.open(new FerryHome(tmp.resolve("server-home"))), token, false);
        String url = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
        client = HttpFerry.remote(url, token, tmp.resolve("client-cache"));
        return new RemoteBlobStore(client.blobWire());
    }

    @Override
    protected void closeBackend() {
        client.close();
        server.close();
        server.ferry().close();
    }
}
