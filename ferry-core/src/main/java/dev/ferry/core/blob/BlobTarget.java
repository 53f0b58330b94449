package dev.ferry.core.blob;

import dev.ferry.core.model.Digest;
import java.util.Collection;
import java.util.Set;

/**
 * Where an upload puts blobs: what an {@link dev.ferry.core.transfer.Uploader} needs and nothing more.
 * A {@link BlobStore} is one; a remote server, reached over HTTP, is another.
 */
public interface BlobTarget {

    /** Which of {@code digests} the target has. */
    Set<Digest> present(Collection<Digest> digests);

    /**
     * Whether a committed bundle has this manifest: then the manifest and every blob it names are
     * stored, and stay stored while any bundle references them.
     */
    boolean containsManifest(Digest manifestRoot);

    /** A writing session; many threads may put into one writer at once. */
    BlobWriter newWriter();
}
