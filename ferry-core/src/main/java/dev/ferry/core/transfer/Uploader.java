package dev.ferry.core.transfer;

import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.blob.BlobWriter;
import dev.ferry.core.chunk.ChunkReader;
import dev.ferry.core.chunk.GearChunker;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.manifest.ManifestSummary;
import dev.ferry.core.manifest.ManifestWriter;
import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a folder into stored blobs and a manifest. The walk runs on the calling thread, in manifest
 * order; files are read, chunked, hashed and stored by a pool; results are put back in walk order
 * through a bounded window, so memory stays flat however many files there are. Files whose stat
 * matches the cache are not read at all, as long as the store still has their chunks.
 *
 * <p>Nothing here commits a bundle: the caller does, after {@link #upload} has flushed every blob.
 */
public final class Uploader {
    /** How far the walk may run ahead of the oldest unfinished file. */
    private static final int WINDOW = 2048;
    /** How many files the walk lets the readers finish before it looks again, once it has to wait. */
    private static final int CATCH_UP = 256;
    private static final int SMALL_LIMIT = GearChunker.MIN_SIZE;

    private final BlobStore store;
    private final Path cacheDir;
    private final int parallelism;

    public Uploader(BlobStore store, Path cacheDir, int parallelism) {
        this.store = store;
        this.cacheDir = cacheDir;
        this.parallelism = Math.max(1, parallelism);
    }

    public UploadOutcome upload(Path folder, TransferListener listener) {
        ArgumentPaths.requireDecodable(folder, "--path");
        TreeWalker walker = TreeWalker.of(folder);
        Path cacheFile = StatCache.fileFor(cacheDir, walker.root());
        UploadOutcome unchanged = unchangedSinceLastUpload(walker, cacheFile, listener);
        if (unchanged != null) {
            return unchanged;
        }
        List<TreeWalker.Skipped> skipped = new ArrayList<>();
        AtomicLong filesRead = new AtomicLong();
        AtomicLong filesFromCache = new AtomicLong();
        try (BlobWriter writer = store.newWriter();
                StatCache.Reader oldCache = StatCache.Reader.open(cacheFile);
                StatCache.Writer newCache = new StatCache.Writer(cacheFile);
                Pools pools = Pools.of(parallelism)) {
            ExecutorService files = pools.files();
            ManifestWriter manifest = new ManifestWriter(writer);
            Deque<Pending> window = new ArrayDeque<>();
            FileStorer storer = new FileStorer(writer, pools.chunks(), parallelism, listener);
            CachedBatch cachedBatch = new CachedBatch(storer, files, listener, filesRead, filesFromCache);
            SmallFiles smallFiles = new SmallFiles(storer, files);
            // about to wait for a file: make sure what is waited for is on its way
            Runnable beforeWaiting = () -> {
                cachedBatch.submit();
                smallFiles.submit();
            };
            walker.walk(new TreeWalker.Visitor() {
                @Override
                public void file(TreeWalker.FileItem item) {
                    listener.found(item.size());
                    StatCache.Entry cached = oldCache.lookup(item);
                    CompletableFuture<List<ChunkRef>> chunks;
                    if (cached != null) {
                        chunks = cachedBatch.add(item, cached.chunks());
                    } else if (item.size() < SMALL_LIMIT) {
                        filesRead.incrementAndGet();
                        chunks = smallFiles.add(item);
                    } else {
                        filesRead.incrementAndGet();
                        chunks = CompletableFuture.supplyAsync(() -> storer.store(item), files);
                    }
                    window.add(new Pending(item, chunks));
                    drain(window, manifest, newCache, listener, WINDOW, beforeWaiting);
                }

                @Override
                public void skipped(TreeWalker.Skipped s) {
                    skipped.add(s);
                    listener.skipped(s.path(), s.reason());
                }
            });
            drain(window, manifest, newCache, listener, 0, beforeWaiting);
            if (manifest.fileCount() == 0) {
                throw FerryException.invalid("nothing to upload: " + folder + " holds no files"
                        + (skipped.isEmpty() ? "" : " (" + skipped.size() + " entries skipped)"),
                        "point --path at a folder with at least one regular file");
            }
            ManifestSummary summary = manifest.finish();
            writer.flush();
            newCache.commit(summary);
            return new UploadOutcome(summary, writer.newBytes(), writer.newBlobs(), writer.packsWritten(),
                    filesRead.get(), filesFromCache.get(), skipped);
        }
    }

    private record Pending(TreeWalker.FileItem item, CompletableFuture<List<ChunkRef>> chunks) {}

    /**
     * The no-change fast path: a stat-only walk that stops at the first difference from the stat
     * cache. If every file matches, in order and with nothing missing or added, the folder still holds
     * what the cache was written for; if a bundle still has that manifest, every blob it needs is
     * stored (gc never deletes what a bundle references), so nothing needs reading, hashing or storing.
     * Returns null when the full upload must run.
     */
    private UploadOutcome unchangedSinceLastUpload(TreeWalker walker, Path cacheFile, TransferListener listener) {
        List<TreeWalker.Skipped> skipped = new ArrayList<>();
        long[] files = {0};
        try (StatCache.Reader cache = StatCache.Reader.open(cacheFile)) {
            try {
                walker.walk(new TreeWalker.Visitor() {
                    @Override
                    public void file(TreeWalker.FileItem item) {
                        if (!cache.nextIs(item)) {
                            throw Difference.FOUND;
                        }
                        files[0]++;
                    }

                    @Override
                    public void skipped(TreeWalker.Skipped s) {
                        skipped.add(s);
                    }
                });
            } catch (Difference found) {
                return null;
            }
            ManifestSummary manifest = cache.completedManifest();
            if (manifest == null || manifest.fileCount() != files[0] || !store.containsManifest(manifest.root())
                    || !store.packsIntact()) {
                return null;
            }
            skipped.forEach(s -> listener.skipped(s.path(), s.reason()));
            listener.found(manifest.totalBytes());
            listener.progressed(manifest.totalBytes());
            return new UploadOutcome(manifest, 0, 0, 0, 0, files[0], skipped);
        }
    }

    /** Stops the no-change walk at the first difference; carries no stack trace. */
    private static final class Difference extends RuntimeException {
        static final Difference FOUND = new Difference();

        private Difference() {
            super(null, null, false, false);
        }
    }

    /**
     * Files the stat cache vouches for, checked against the store in batches (one query for hundreds
     * of files instead of one each): a cached file is only trusted if the store still has its chunks,
     * otherwise it is read again.
     */
    private final class CachedBatch {
        private static final int SIZE = 512;
        private final FileStorer storer;
        private final ExecutorService pool;
        private final TransferListener listener;
        private final AtomicLong filesRead;
        private final AtomicLong filesFromCache;
        private List<CachedFile> pending = new ArrayList<>();

        CachedBatch(FileStorer storer, ExecutorService pool, TransferListener listener, AtomicLong filesRead,
                AtomicLong filesFromCache) {
            this.storer = storer;
            this.pool = pool;
            this.listener = listener;
            this.filesRead = filesRead;
            this.filesFromCache = filesFromCache;
        }

        /** A file the cache vouches for, and where its checked (or re-read) chunks go. */
        private record CachedFile(TreeWalker.FileItem item, List<ChunkRef> chunks,
                CompletableFuture<List<ChunkRef>> result) {}

        CompletableFuture<List<ChunkRef>> add(TreeWalker.FileItem item, List<ChunkRef> chunks) {
            CompletableFuture<List<ChunkRef>> result = new CompletableFuture<>();
            pending.add(new CachedFile(item, chunks, result));
            if (pending.size() >= SIZE) {
                submit();
            }
            return result;
        }

        /** Hands the open batch to the pool; called before anyone waits on its results. */
        void submit() {
            if (pending.isEmpty()) {
                return;
            }
            List<CachedFile> batch = pending;
            pending = new ArrayList<>();
            pool.execute(() -> {
                try {
                    List<Digest> digests = new ArrayList<>();
                    batch.forEach(f -> f.chunks().forEach(c -> digests.add(c.digest())));
                    java.util.Set<Digest> present = store.present(digests);
                    for (CachedFile f : batch) {
                        try {
                            if (f.chunks().stream().allMatch(c -> present.contains(c.digest()))) {
                                filesFromCache.incrementAndGet();
                                listener.progressed(f.item().size());
                                f.result().complete(f.chunks());
                            } else {
                                filesRead.incrementAndGet();
                                f.result().complete(storer.store(f.item()));
                            }
                        } catch (RuntimeException failure) {
                            f.result().completeExceptionally(failure);
                        }
                    }
                } catch (RuntimeException failure) {
                    batch.forEach(f -> f.result().completeExceptionally(failure));
                }
            });
        }
    }

    /**
     * Small new files, stored {@link #FILES} (at most {@link #BYTES}) a task: one task per file cost a
     * 20k-file upload ~4% in hand-offs between the walking thread and the readers (six interleaved
     * rounds, bench/RESULTS.md; a download lost 10-15% that way). A task's files are held in memory
     * together, so that the store is asked once which of them it has. Measured both ways (bench/ab.sh,
     * server CPU): 8 files and 1 MiB a task were no better (+3%, within that harness's noise), 64 files
     * and 4 MiB cost 20% more — the batch is written to the pack after all its files were hashed, and
     * 4 MiB no longer stays in a core's L2.
     */
    private static final class SmallFiles {
        static final int FILES = 16;
        static final int BYTES = 2 << 20;
        private final FileStorer storer;
        private final ExecutorService pool;
        private List<TreeWalker.FileItem> items = new ArrayList<>();
        private List<CompletableFuture<List<ChunkRef>>> results = new ArrayList<>();
        private long bytes;

        SmallFiles(FileStorer storer, ExecutorService pool) {
            this.storer = storer;
            this.pool = pool;
        }

        CompletableFuture<List<ChunkRef>> add(TreeWalker.FileItem item) {
            CompletableFuture<List<ChunkRef>> result = new CompletableFuture<>();
            items.add(item);
            results.add(result);
            bytes += item.size();
            if (items.size() >= FILES || bytes >= BYTES) {
                submit();
            }
            return result;
        }

        /** Hands the open batch to the pool; called before anyone waits on its results. */
        void submit() {
            if (items.isEmpty()) {
                return;
            }
            List<TreeWalker.FileItem> batch = items;
            List<CompletableFuture<List<ChunkRef>>> done = results;
            items = new ArrayList<>();
            results = new ArrayList<>();
            bytes = 0;
            pool.execute(() -> storer.storeSmall(batch, done));
        }
    }

    /** Emits finished files in walk order, waiting for the oldest while more than {@code keep} are open. */
    private static void drain(Deque<Pending> window, ManifestWriter manifest, StatCache.Writer cache,
            TransferListener listener, int keep, Runnable beforeWaiting) {
        while (!window.isEmpty() && (window.size() > keep || window.peekFirst().chunks().isDone())) {
            if (!window.peekFirst().chunks().isDone()) {
                beforeWaiting.run();
                awaitCatchUp(window);
            }
            Pending p = window.pollFirst();
            List<ChunkRef> chunks;
            try {
                chunks = p.chunks().join();
            } catch (CompletionException e) {
                window.forEach(w -> w.chunks().cancel(true));
                throw unwrap(e);
            }
            TreeWalker.FileItem item = p.item();
            manifest.add(new FileEntry(item.path(), item.size(), item.mode(), chunks));
            cache.append(item, chunks);
            listener.fileDone();
        }
    }

    /**
     * Waits until the readers are {@link #CATCH_UP} files ahead, not just one: the walk outruns them,
     * so waiting for the oldest file alone meant a sleep and a wake-up per file (~3% of the CPU of a
     * 20k-file upload). They finish files in about walk order, so the earlier ones are done by then.
     */
    private static void awaitCatchUp(Deque<Pending> window) {
        int steps = Math.min(window.size(), CATCH_UP) - 1;
        java.util.Iterator<Pending> it = window.iterator();
        Pending target = it.next();
        for (int i = 0; i < steps; i++) {
            target = it.next();
        }
        try {
            target.chunks().join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            // reported in walk order, when its turn comes
        }
    }

    private static RuntimeException unwrap(CompletionException e) {
        return e.getCause() instanceof RuntimeException r ? r : e;
    }

    /** Reads one file and stores its chunks; checks the file did not change while it was read. */
    private static final class FileStorer {
        private final BlobWriter writer;
        private final ExecutorService chunkPool;
        private final int chunkThreads;
        private final TransferListener listener;
        private final ThreadLocal<byte[]> chunkBuffers = ThreadLocal.withInitial(() -> new byte[2 * GearChunker.MAX_SIZE]);

        FileStorer(BlobWriter writer, ExecutorService chunkPool, int chunkThreads, TransferListener listener) {
            this.writer = writer;
            this.chunkPool = chunkPool;
            this.chunkThreads = chunkThreads;
            this.listener = listener;
        }

        /** Stores one file of any size. */
        List<ChunkRef> store(TreeWalker.FileItem item) {
            if (item.size() < SMALL_LIMIT) {
                CompletableFuture<List<ChunkRef>> result = new CompletableFuture<>();
                storeSmall(List.of(item), List.of(result));
                try {
                    return result.join();
                } catch (CompletionException e) {
                    throw unwrap(e);
                }
            }
            return readChecked(item, () -> storeLarge(item));
        }

        /**
         * Small files, each read whole into one buffer and hashed, then stored with one lookup for the
         * batch; each file's outcome (its chunk, or why it failed) goes to its future.
         */
        void storeSmall(List<TreeWalker.FileItem> items, List<CompletableFuture<List<ChunkRef>>> results) {
            long room = 0;
            for (TreeWalker.FileItem item : items) {
                room += item.size();
            }
            ByteBuffer buffer = batchBuffer((int) room);
            List<BlobWriter.Part> parts = new ArrayList<>(items.size());
            List<List<ChunkRef>> chunks = new ArrayList<>(items.size());
            int at = 0;
            for (int i = 0; i < items.size(); i++) {
                TreeWalker.FileItem item = items.get(i);
                ByteBuffer slot = buffer.slice(at, (int) item.size());
                try {
                    int n = readChecked(item, () -> readWhole(item, slot.clear()));
                    listener.progressed(n);
                    if (n == 0) {
                        chunks.add(List.of());
                        continue;
                    }
                    Digest digest = Digest.of(slot.flip());
                    parts.add(new BlobWriter.Part(digest, at, n));
                    chunks.add(List.of(new ChunkRef(digest, n)));
                    at += n;
                } catch (RuntimeException failure) {
                    chunks.add(null);
                    results.get(i).completeExceptionally(failure);
                }
            }
            try {
                writer.putAll(buffer, parts);
            } catch (RuntimeException failure) {
                results.forEach(r -> r.completeExceptionally(failure));
                return;
            }
            for (int i = 0; i < items.size(); i++) {
                if (chunks.get(i) != null) {
                    results.get(i).complete(chunks.get(i));
                }
            }
        }

        /**
         * This thread's batch buffer: direct, so files are read into it and written from it with no
         * copy in Java; kept for the next upload when the thread ends ({@link DirectBuffers}).
         */
        private static ByteBuffer batchBuffer(int room) {
            return DirectBuffers.mine(room, SmallFiles.BYTES + SMALL_LIMIT);
        }

        /**
         * Reads a file of the size its stat gave into {@code slot} (exactly that size). It does not
         * read on to the end of the file to see whether it grew (a second read call per file): the
         * stat after the read ({@link #readChecked}) sees that.
         */
        private static int readWhole(TreeWalker.FileItem item, ByteBuffer slot) throws IOException {
            try (FileChannel in = FileChannel.open(item.file(), StandardOpenOption.READ)) {
                while (slot.hasRemaining()) {
                    if (in.read(slot) < 0) {
                        throw new SizeChanged();
                    }
                }
            }
            return slot.position();
        }

        /** What reads a file; may throw {@link SizeChanged} to ask for one more try. */
        private interface FileRead<T> {
            T run() throws IOException;
        }

        /**
         * Runs a read of a file and checks its stat did not change meanwhile; tries once more if it did
         * (a writer finishing), then gives up: the file is being written to.
         */
        private static <T> T readChecked(TreeWalker.FileItem item, FileRead<T> read) {
            for (int attempt = 1; ; attempt++) {
                try {
                    T result = read.run();
                    if (unchangedSince(item)) {
                        return result;
                    }
                } catch (NoSuchFileException e) {
                    throw new FerryException(ErrorCode.SOURCE_CHANGED, "'" + item.path()
                            + "' vanished during the upload; nothing was committed",
                            "run the command again when the folder is no longer being written to");
                } catch (AccessDeniedException e) {
                    throw new FerryException(ErrorCode.LOCAL_PATH, "cannot read '" + item.path()
                            + "': permission denied", "fix its permissions or move it out of the folder");
                } catch (IOException e) {
                    throw new FerryException(ErrorCode.LOCAL_PATH, "cannot read '" + item.path() + "': "
                            + e.getMessage(), null, e);
                } catch (SizeChanged e) {
                    // fall through to the retry below
                }
                if (attempt == 2) {
                    throw new FerryException(ErrorCode.SOURCE_CHANGED, "'" + item.path()
                            + "' changed while it was being read; nothing was committed",
                            "run the command again when the folder is no longer being written to");
                }
            }
        }

        /** Cuts on this thread, hashes and stores the chunks on the chunk pool (a big file uses every core). */
        private List<ChunkRef> storeLarge(TreeWalker.FileItem item) throws IOException {
            List<Future<ChunkRef>> futures = new ArrayList<>();
            long total = 0;
            try (InputStream in = Files.newInputStream(item.file())) {
                ChunkReader reader = new ChunkReader(in, chunkBuffers.get());
                ChunkReader.Chunk c;
                int inFlight = 0;
                while ((c = reader.next()) != null) {
                    byte[] copy = java.util.Arrays.copyOfRange(c.buffer(), c.offset(), c.offset() + c.length());
                    futures.add(chunkPool.submit(() -> {
                        Digest digest = Digest.of(copy);
                        writer.put(digest, copy, 0, copy.length);
                        listener.progressed(copy.length);
                        return new ChunkRef(digest, copy.length);
                    }));
                    total += c.length();
                    // bound memory: at most 2 chunks per hashing thread are waiting
                    if (++inFlight > 2 * chunkThreads) {
                        join(futures.get(futures.size() - inFlight));
                        inFlight--;
                    }
                }
            }
            List<ChunkRef> chunks = new ArrayList<>(futures.size());
            for (Future<ChunkRef> f : futures) {
                chunks.add(join(f));
            }
            if (total != item.size()) {
                throw new SizeChanged();
            }
            return chunks;
        }

        private static ChunkRef join(Future<ChunkRef> f) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FerryException(ErrorCode.INTERRUPTED, "interrupted");
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }

        private static boolean unchangedSince(TreeWalker.FileItem item) throws IOException {
            PosixFileAttributes now = Files.readAttributes(item.file(), PosixFileAttributes.class);
            return now.size() == item.size()
                    && now.lastModifiedTime().to(TimeUnit.NANOSECONDS) == item.mtimeNanos();
        }
    }

    /** The file's length differs from its stat: it is being written to. */
    private static final class SizeChanged extends RuntimeException {
        SizeChanged() {
            super(null, null, false, false);
        }
    }

    /** Worker pools, closed before the blob writer so no task writes into a closed writer. */
    private record Pools(ExecutorService files, ExecutorService chunks, DirectBuffers.Threads readers)
            implements AutoCloseable {
        static Pools of(int parallelism) {
            DirectBuffers.Threads readers = DirectBuffers.threads("ferry-read");
            return new Pools(Executors.newFixedThreadPool(parallelism, readers),
                    Executors.newFixedThreadPool(parallelism, named("ferry-hash")), readers);
        }

        @Override
        public void close() {
            files.shutdownNow();
            chunks.shutdownNow();
            awaitQuietly(files);
            awaitQuietly(chunks);
            readers.awaitGivenBack();
        }
    }

    static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
