package dev.ferry.core.manifest;

import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;

/** A stored manifest, read page by page on demand; each page read is digest-verified by the store. */
public final class Manifest {
    private final BlobStore store;
    private final Digest root;
    private final ManifestFormat.Root rootData;

    private Manifest(BlobStore store, Digest root, ManifestFormat.Root rootData) {
        this.store = store;
        this.root = root;
        this.rootData = rootData;
    }

    public static Manifest open(BlobStore store, Digest root) {
        return new Manifest(store, root, decode(root, () -> ManifestFormat.decodeRoot(store.read(root))));
    }

    public Digest root() {
        return root;
    }

    public long fileCount() {
        return rootData.fileCount();
    }

    public long totalBytes() {
        return rootData.totalBytes();
    }

    /** The digests of the manifest's own blobs: the root and every page. */
    public List<Digest> metadataDigests() {
        List<Digest> out = new java.util.ArrayList<>(rootData.pages().size() + 1);
        out.add(root);
        for (ManifestFormat.PageRef p : rootData.pages()) {
            out.add(p.digest());
        }
        return out;
    }

    public int pageCount() {
        return rootData.pages().size();
    }

    /** The entries of one page, in path order. */
    public List<FileEntry> page(int index) {
        ManifestFormat.PageRef ref = rootData.pages().get(index);
        List<FileEntry> entries = decode(ref.digest(), () -> ManifestFormat.decodePage(store.read(ref.digest())));
        if (entries.size() != ref.count()) {
            throw new FerryException(ErrorCode.DATA_CORRUPT, "manifest page " + ref.digest() + " holds "
                    + entries.size() + " entries, its root says " + ref.count(), "run 'ferry fsck'");
        }
        return entries;
    }

    /** Every file, in path order, one page in memory at a time. */
    public Iterator<FileEntry> iterator() {
        return new Iterator<>() {
            private int nextPage;
            private Iterator<FileEntry> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && nextPage < pageCount()) {
                    current = page(nextPage++).iterator();
                }
                return current.hasNext();
            }

            @Override
            public FileEntry next() {
                if (!hasNext()) throw new NoSuchElementException();
                return current.next();
            }
        };
    }

    public void forEach(Consumer<FileEntry> action) {
        iterator().forEachRemaining(action);
    }

    /** One file by path, reading only the page that can hold it. */
    public Optional<FileEntry> find(String path) {
        List<ManifestFormat.PageRef> pages = rootData.pages();
        int lo = 0;
        int hi = pages.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            ManifestFormat.PageRef p = pages.get(mid);
            if (PathOrder.compare(path, p.firstPath()) < 0) {
                hi = mid - 1;
            } else if (PathOrder.compare(path, p.lastPath()) > 0) {
                lo = mid + 1;
            } else {
                return page(mid).stream().filter(e -> e.path().equals(path)).findFirst();
            }
        }
        return Optional.empty();
    }

    /** Every digest a file content of this manifest needs. */
    public void forEachChunk(Consumer<ChunkRef> action) {
        forEach(e -> e.chunks().forEach(action));
    }

    @FunctionalInterface
    private interface Decoder<T> {
        T decode() throws IOException;
    }

    private static <T> T decode(Digest digest, Decoder<T> decoder) {
        try {
            return decoder.decode();
        } catch (IOException e) {
            throw new FerryException(ErrorCode.DATA_CORRUPT, "manifest blob " + digest + " is unreadable: "
                    + e.getMessage(), "run 'ferry fsck'", e);
        }
    }
}
