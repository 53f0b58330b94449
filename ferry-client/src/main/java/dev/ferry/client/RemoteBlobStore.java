package dev.ferry.client;

import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.blob.BlobWriter;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Digest;
import dev.ferry.core.pack.BlobLocation;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A remote server's store seen from the client. Presence is asked with {@code POST /blobs/missing},
 * blobs travel to it in pack uploads ({@code POST /packs}) and back with {@code GET /blobs/{digest}},
 * each one verified here against its digest, end to end. What the server has already is never sent,
 * so an interrupted upload, run again, sends only the rest. Downloads read small files' blobs many
 * at a time ({@code POST /blobs/read}), large files' chunks one request each. Pack locations are the server's business:
 * a located blob here is only "the server has it".
 */
final class RemoteBlobStore implements BlobStore {
    /** Digests per presence question: a 2048-digest body is about 150 KB of JSON. */
    static final int QUESTION = 2048;
    private static final String REMOTE = "remote";

    private final BlobWire server;

    RemoteBlobStore(BlobWire server) {
        this.server = server;
    }

    @Override
    public Set<Digest> present(Collection<Digest> digests) {
        Set<Digest> present = new HashSet<>(digests);
        List<Digest> all = List.copyOf(present);
        for (int from = 0; from < all.size(); from += QUESTION) {
            server.missing(all.subList(from, Math.min(all.size(), from + QUESTION))).forEach(present::remove);
        }
        return present;
    }

    @Override
    public boolean contains(Digest digest) {
        return !present(List.of(digest)).isEmpty();
    }

    @Override
    public boolean containsManifest(Digest manifestRoot) {
        return server.manifestCommitted(manifestRoot);
    }

    @Override
    public Map<Digest, BlobLocation> locate(Collection<Digest> digests) {
        return present(digests).stream().collect(Collectors.toMap(Function.identity(),
                d -> new BlobLocation(d, REMOTE, 0, 0)));
    }

    @Override
    public byte[] read(Digest digest) {
        return server.read(digest); // checked there, and damage reported to the server
    }

    @Override
    public byte[] read(BlobLocation location) {
        return read(location.digest());
    }

    @Override
    public ByteBuffer read(BlobLocation location, ByteBuffer scratch) {
        return ByteBuffer.wrap(read(location.digest()));
    }

    @Override
    public boolean batchesReads() {
        return true;
    }

    /** One {@code POST /blobs/read} per batch the caller chose (within the server's limits). */
    @Override
    public Map<Digest, byte[]> readAll(Collection<Digest> digests) {
        Map<Digest, byte[]> blobs = server.read(List.copyOf(new java.util.LinkedHashSet<>(digests)));
        for (Digest d : digests) {
            if (!blobs.containsKey(d)) {
                throw new FerryException(ErrorCode.DATA_CORRUPT, "blob " + d + " was asked of " + server.url()
                        + " and did not come", "try again; if it repeats, run 'ferry fsck' against the server");
            }
        }
        return blobs;
    }

    @Override
    public BlobWriter newWriter() {
        return new RemoteBlobWriter(server);
    }

    @Override
    public void close() {
        // nothing held: connections are the JDK's, kept alive per process
    }
}
