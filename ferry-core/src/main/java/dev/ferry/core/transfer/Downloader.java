package dev.ferry.core.transfer;

import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.ManifestPaths;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.model.Ids;
import dev.ferry.core.pack.BlobLocation;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Restores a bundle into a destination folder. Files are written into a staging folder inside the
 * destination and moved into place only when every byte was verified, so a failed download leaves
 * the destination as it was. Paths come from the manifest and are checked again here: nothing is
 * ever written outside the destination, and existing symbolic links there are replaced, not followed.
 */
public final class Downloader {
    static final String STAGING_PREFIX = ".ferry-partial-";

    private final BlobStore store;
    private final int parallelism;

    public Downloader(BlobStore store, int parallelism) {
        this.store = store;
        this.parallelism = Math.max(1, parallelism);
    }

    public DownloadOutcome download(Manifest manifest, Path destination, Predicate<String> filter, boolean force,
            TransferListener listener) {
        // a download that fails leaves no trace: not even the folders it had to create
        Path created = firstMissing(destination);
        try {
            return downloadInto(manifest, destination, filter, force, listener);
        } catch (RuntimeException | Error e) {
            if (created != null) {
                deleteTree(created);
            }
            throw e;
        }
    }

    /** The outermost folder of {@code path} that does not exist yet (a download creates it), or null. */
    private static Path firstMissing(Path path) {
        Path missing = null;
        for (Path p = path.toAbsolutePath().normalize(); p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS);
                p = p.getParent()) {
            missing = p;
        }
        return missing;
    }

    private DownloadOutcome downloadInto(Manifest manifest, Path destination, Predicate<String> filter, boolean force,
            TransferListener listener) {
        Path dest = prepareDestination(destination, force);
        Path staging = dest.resolve(STAGING_PREFIX + Ids.newId());
        DirectBuffers.Threads writers = DirectBuffers.threads("ferry-write");
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, writers);
        try {
            createDirectory(staging);
            FileRestorer restorer = new FileRestorer(store, staging, listener);
            Set<Path> madeDirs = ConcurrentHashMap.newKeySet();
            boolean roundTrips = store.batchesReads();
            long files = 0;
            long bytes = 0;
            // Two pages in flight: while the writers work through one, this thread reads the next
            // page and looks up its blobs (one query), so the writers do not idle at each page's end.
            List<Future<?>> inFlight = new ArrayList<>();
            try {
                PlannedPage page = manifest.pageCount() > 0 ? plan(manifest, 0, filter, restorer, listener) : null;
                for (int p = 0; page != null; p++) {
                    Map<Digest, BlobLocation> locations = page.locations();
                    int pageStart = inFlight.size();
                    for (List<FileEntry> batch : ReadBatches.of(page.files(), roundTrips)) {
                        inFlight.add(pool.submit(() -> writeBatch(batch, locations, staging, madeDirs, restorer, roundTrips)));
                    }
                    for (FileEntry e : page.files()) {
                        files++;
                        bytes += e.size();
                    }
                    page = p + 1 < manifest.pageCount() ? plan(manifest, p + 1, filter, restorer, listener) : null;
                    List<Future<?>> earlierPages = inFlight.subList(0, pageStart);
                    awaitAll(earlierPages);
                    earlierPages.clear();
                }
                awaitAll(inFlight);
            } catch (RuntimeException | Error e) {
                inFlight.forEach(f -> f.cancel(false));
                throw e;
            }
            if (files == 0) {
                throw FerryException.notFound("no file of the bundle matches the name filter", "check --name-filter");
            }
            moveInto(staging, dest, force);
            return new DownloadOutcome(files, bytes);
        } finally {
            // No interrupts: an interrupted read would close pack channels other readers share.
            pool.shutdown();
            try {
                pool.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writers.awaitGivenBack();
            deleteTree(staging);
        }
    }

    /** A manifest page's files that pass the filter, with where their blobs are. */
    private record PlannedPage(List<FileEntry> files, Map<Digest, BlobLocation> locations) {}

    private static PlannedPage plan(Manifest manifest, int pageNumber, Predicate<String> filter, FileRestorer restorer,
            TransferListener listener) {
        List<FileEntry> files = new ArrayList<>();
        for (FileEntry e : manifest.page(pageNumber)) {
            if (filter.test(e.path())) {
                checkPath(e.path());
                files.add(e);
                listener.found(e.size());
            }
        }
        return new PlannedPage(files, restorer.locate(files));
    }

    /**
     * One writer task. A store where every read is a round trip reads a batch of small files at once;
     * a local one reads each blob as its file is written.
     */
    private void writeBatch(List<FileEntry> batch, Map<Digest, BlobLocation> locations, Path staging, Set<Path> madeDirs,
            FileRestorer restorer, boolean roundTrips) {
        Map<Digest, byte[]> read = roundTrips && batch.size() > 1 ? store.readAll(ReadBatches.digests(batch)) : null;
        for (FileEntry e : batch) {
            Path target = staging.resolve(e.path());
            ensureParentOf(target, staging, madeDirs);
            if (read != null) {
                restorer.writeFrom(e, target, read);
            } else {
                restorer.write(e, target, locations);
            }
        }
    }

    /** Restores a single file to {@code destination/<its path>}. */
    public DownloadOutcome downloadFile(Manifest manifest, String path, Path destination, boolean force) {
        FileEntry entry = manifest.find(path).orElseThrow(() -> FerryException.notFound(
                "file '" + path + "' is not in the bundle", "list its files with 'ferry bundle list files'"));
        checkPath(entry.path());
        Path dest = prepareDirectory(destination);
        Path target = dest.resolve(entry.path());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !force) {
            throw new FerryException(ErrorCode.DESTINATION_NOT_EMPTY, "'" + target + "' already exists",
                    "use --force to overwrite it");
        }
        ensureParentOf(target, dest, ConcurrentHashMap.newKeySet());
        Path partial = target.resolveSibling(STAGING_PREFIX + Ids.newId());
        FileRestorer restorer = new FileRestorer(store, target.getParent(), TransferListener.NONE);
        try {
            restorer.write(entry, partial, restorer.locate(List.of(entry)));
            replace(partial, target);
        } finally {
            DirectBuffers.release(); // written on the caller's thread, which outlives this download
            deleteTree(partial);
        }
        return new DownloadOutcome(1, entry.size());
    }

    static void checkPath(String path) {
        String problem = ManifestPaths.problem(path);
        if (problem != null) {
            throw new FerryException(ErrorCode.DATA_CORRUPT, "the bundle holds an unsafe path '" + path + "' ("
                    + problem + "); refusing to write it", "this bundle was not written by ferry; do not trust it");
        }
    }

    private static Path prepareDestination(Path destination, boolean force) {
        Path dest = prepareDirectory(destination);
        List<String> present = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dest)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.startsWith(STAGING_PREFIX)) {
                    deleteTree(p); // left by an earlier download that was killed
                } else {
                    present.add(name);
                }
            }
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "cannot read destination " + destination + ": "
                    + e.getMessage(), null, e);
        }
        if (!present.isEmpty() && !force) {
            throw new FerryException(ErrorCode.DESTINATION_NOT_EMPTY, "destination " + destination
                    + " is not empty (" + present.size() + (present.size() == 1 ? " entry)" : " entries)"),
                    "choose an empty or new folder, or pass --force to overwrite files in it");
        }
        return dest;
    }

    private static Path prepareDirectory(Path destination) {
        ArgumentPaths.requireDecodable(destination, "--destination");
        try {
            if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(destination)) {
                throw new FerryException(ErrorCode.LOCAL_PATH, "destination " + destination + " is not a directory",
                        "choose a folder");
            }
            Files.createDirectories(destination);
            return destination.toRealPath();
        } catch (FileAlreadyExistsException e) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "destination " + destination + " is not a directory",
                    "choose a folder");
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "cannot create destination " + destination + ": "
                    + e.getMessage(), "check the permissions of its parent", e);
        }
    }

    static void ensureParentOf(Path target, Path base, Set<Path> madeDirs) {
        Path parent = target.getParent();
        if (parent.equals(base) || madeDirs.contains(parent)) {
            return;
        }
        // Walk down from the base, never through a symbolic link: a link in the tree could lead out.
        Path current = base;
        for (Path part : base.relativize(parent)) {
            current = current.resolve(part);
            if (madeDirs.contains(current)) {
                continue;
            }
            try {
                if (Files.isSymbolicLink(current)
                        || Files.exists(current, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                    throw new FerryException(ErrorCode.LOCAL_PATH, "'" + current + "' is a symbolic link or a file"
                            + " where the bundle needs a directory; refusing to write through it",
                            "move it away, or download into an empty folder");
                }
                if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(current);
                }
            } catch (FileAlreadyExistsException raced) {
                // another writer made it
            } catch (IOException e) {
                throw FileRestorer.writeFailure(current, e);
            }
            madeDirs.add(current);
        }
    }

    /**
     * Moves the staged tree into place: whole subtrees in one rename where nothing is in the way. What
     * {@code --force} replaces is first moved aside, so that a failure halfway (a file that cannot be
     * moved, a full disk) is undone and leaves the destination as it was.
     */
    private static void moveInto(Path from, Path to, boolean force) {
        Path aside = to.resolve(STAGING_PREFIX + "replaced-" + Ids.newId());
        java.util.Deque<Runnable> undo = new java.util.ArrayDeque<>();
        try {
            moveInto(from, to, force, aside, undo);
        } catch (RuntimeException | Error e) {
            while (!undo.isEmpty()) {
                try {
                    undo.pop().run();
                } catch (RuntimeException undoFailed) {
                    e.addSuppressed(undoFailed);
                }
            }
            if (e.getSuppressed().length > 0) {
                // what could not be put back is still in the side folder: keep it for the user
                throw e;
            }
            deleteTree(aside);
            throw e;
        }
        deleteTree(aside);
    }

    private static void moveInto(Path from, Path to, boolean force, Path aside, java.util.Deque<Runnable> undo) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(from)) {
            for (Path source : entries) {
                Path target = to.resolve(source.getFileName().toString());
                boolean sourceIsDir = Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS);
                if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
                    undo.push(() -> deleteTree(target));
                } else if (sourceIsDir && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    moveInto(source, target, force, aside, undo);
                } else if (force) {
                    if (!Files.isDirectory(aside)) {
                        Files.createDirectory(aside);
                    }
                    Path old = aside.resolve(Integer.toString(undo.size()));
                    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                    undo.push(() -> {
                        deleteTree(target);
                        try {
                            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                        } catch (IOException e) {
                            throw FileRestorer.writeFailure(target, e);
                        }
                    });
                    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    throw new FerryException(ErrorCode.DESTINATION_NOT_EMPTY, "'" + target + "' already exists",
                            "use --force to overwrite");
                }
            }
        } catch (IOException e) {
            throw FileRestorer.writeFailure(to, e);
        }
    }

    private static void replace(Path source, Path target) {
        try {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw FileRestorer.writeFailure(target, e);
        }
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw FileRestorer.writeFailure(dir, e);
        }
    }

    private static void awaitAll(List<Future<?>> futures) {
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FerryException(ErrorCode.INTERRUPTED, "interrupted");
            } catch (ExecutionException e) {
                futures.forEach(x -> x.cancel(false));
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
    }

    /** Deletes a tree without following links; quiet about what is already gone. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a)
                        throws IOException {
                    Files.deleteIfExists(file);
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException gone) {
            // fine
        } catch (IOException e) {
            // best effort: a leftover staging folder is cleaned by the next download
        }
    }
}
