package dev.ferry.core.transfer;

import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.PathOrder;
import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.model.Ids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a folder hold exactly a bundle's files: writes what is missing or different, fixes modes,
 * deletes regular files the bundle does not have. Files whose content already matches are not
 * rewritten. Each replaced file is swapped in with an atomic rename.
 */
public final class Updater {
    private final BlobStore store;

    public Updater(BlobStore store) {
        this.store = store;
    }

    public UpdateOutcome update(Manifest manifest, Path destination, TransferListener listener) {
        ArgumentPaths.requireDecodable(destination, "--destination"); // before it is created under that name
        try {
            Files.createDirectories(destination);
        } catch (IOException e) {
            throw FileRestorer.writeFailure(destination, e);
        }
        TreeWalker walker = TreeWalker.of(destination);
        Path root = walker.root();
        List<TreeWalker.FileItem> local = new ArrayList<>();
        walker.walk(new TreeWalker.Visitor() {
            @Override
            public void file(TreeWalker.FileItem item) {
                if (!item.path().contains(Downloader.STAGING_PREFIX) && item.file().startsWith(root)) {
                    local.add(item);
                }
            }

            @Override
            public void skipped(TreeWalker.Skipped skipped) {
                listener.skipped(skipped.path(), skipped.reason());
            }
        });
        FileRestorer restorer = new FileRestorer(store, root, listener);
        long added = 0, updated = 0, deleted = 0, unchanged = 0;
        Iterator<FileEntry> wanted = manifest.iterator();
        Iterator<TreeWalker.FileItem> have = local.iterator();
        FileEntry w = wanted.hasNext() ? wanted.next() : null;
        TreeWalker.FileItem h = have.hasNext() ? have.next() : null;
        try {
            while (w != null || h != null) {
                int c = w == null ? 1 : h == null ? -1 : PathOrder.compare(w.path(), h.path());
                if (c < 0) {
                    Downloader.checkPath(w.path());
                    replaceWith(restorer, w, root);
                    added++;
                    w = wanted.hasNext() ? wanted.next() : null;
                } else if (c > 0) {
                    delete(h.file());
                    deleted++;
                    h = have.hasNext() ? have.next() : null;
                } else {
                    if (h.size() == w.size() && chunksOf(h).equals(w.chunks())) {
                        if (h.mode() != w.mode()) {
                            chmod(h.file(), w.mode());
                            updated++;
                        } else {
                            unchanged++;
                        }
                    } else {
                        replaceWith(restorer, w, root);
                        updated++;
                    }
                    w = wanted.hasNext() ? wanted.next() : null;
                    h = have.hasNext() ? have.next() : null;
                }
            }
        } finally {
            DirectBuffers.release(); // files were written on the caller's thread, which outlives this update
        }
        return new UpdateOutcome(added, updated, deleted, unchanged);
    }

    private static void replaceWith(FileRestorer restorer, FileEntry entry, Path root) {
        Path target = root.resolve(entry.path());
        Downloader.ensureParentOf(target, root, ConcurrentHashMap.newKeySet());
        Path partial = target.resolveSibling(Downloader.STAGING_PREFIX + Ids.newId());
        try {
            restorer.write(entry, partial, restorer.locate(List.of(entry)));
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw FileRestorer.writeFailure(target, e);
        } finally {
            Downloader.deleteTree(partial);
        }
    }

    /** The chunks this file would be stored as, computed without storing anything. */
    static List<ChunkRef> chunksOf(TreeWalker.FileItem item) {
        try {
            return FileContents.chunksOf(item.file());
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "cannot read '" + item.path() + "': " + e.getMessage(),
                    null, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw FileRestorer.writeFailure(file, e);
        }
    }

    private static void chmod(Path file, int mode) {
        try {
            Files.setPosixFilePermissions(file, Modes.fromBits(mode));
        } catch (IOException e) {
            throw FileRestorer.writeFailure(file, e);
        }
    }
}
