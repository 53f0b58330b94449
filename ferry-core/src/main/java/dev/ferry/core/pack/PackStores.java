package dev.ferry.core.pack;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ServiceLoader;

/** The pack store a home uses: the local folder, or the store a URL names (store.url, FERRY_STORE). */
public final class PackStores {
    private PackStores() {}

    /** Opens {@code url} (null: the local folder {@code localDir}); {@code spool} is for packs being written. */
    public static PackStore open(String url, Path localDir, Path spool) throws IOException {
        if (url == null || url.isBlank()) {
            return new LocalPackStore(localDir);
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw FerryException.invalid("store URL '" + url + "' is not a URL: " + e.getReason(),
                    "write s3://bucket/prefix (ferry config set store.url ..., or FERRY_STORE)");
        }
        if ("file".equals(uri.getScheme())) {
            return new LocalPackStore(Path.of(uri));
        }
        for (PackStoreProvider provider : ServiceLoader.load(PackStoreProvider.class)) {
            if (provider.scheme().equals(uri.getScheme())) {
                return provider.open(uri, spool);
            }
        }
        throw new FerryException(ErrorCode.INVALID_ARGUMENT, "no store of scheme '" + uri.getScheme() + "' in this build ("
                + url + ")", "use s3://bucket/prefix or file:///path, or unset store.url and FERRY_STORE");
    }
}
