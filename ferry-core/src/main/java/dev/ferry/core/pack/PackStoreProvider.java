package dev.ferry.core.pack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Opens a {@link PackStore} for a store URL of one scheme ({@code s3://bucket/prefix}); found with
 * {@link java.util.ServiceLoader}, so that a store's module (ferry-s3) plugs in without core knowing it.
 */
public interface PackStoreProvider {
    /** The URL scheme this provider opens ({@code "s3"}). */
    String scheme();

    /**
     * Opens the store at {@code url}. {@code spool} is a local folder of this machine the store may use
     * for packs being written before they are sent.
     */
    PackStore open(URI url, Path spool) throws IOException;
}
