package dev.ferry.server.ui;

import dev.ferry.core.blob.DerivedBlob;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.FileCache;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.store.DerivedBlobs;
import dev.ferry.core.store.DerivedBlobs.Made;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The UI's image thumbnails, made once per image content and kept in the store (as derived blobs,
 * {@link DerivedBlobs}), so every server of a shared store finds what any of them made, and gc keeps
 * them while a version has the image. Looked up in this order: this server's disk copy
 * ({@code $FERRY_HOME/cache/thumbnails}: no store read for a page shown again), the ones made here a
 * moment ago and not stored yet (stored in batches: one pack per batch, not per image), the store's
 * record, else made now. A version's rows page also has the rest of its thumbnails made in the
 * background ({@link #buildAll}), one version at a time, so paging on finds them made.
 */
final class Thumbnails implements AutoCloseable {
    /** What a thumbnail is in the store's records: the size is in the name, so another size is another kind. */
    static final String KIND = "thumbnail-" + ThumbnailImages.SIZE;
    /** Larger images are not decoded for a thumbnail: the page shows their name. */
    static final long MAX_IMAGE_BYTES = 64L << 20;
    /** Thumbnails kept on this server's disk together take at most this much; the least used go first. */
    static final long CACHE_BYTES = 1L << 30;
    /** Thumbnails made on demand are stored this long after the first of a batch, or at this many. */
    private static final long STORE_DELAY_MILLIS = 500;
    private static final int STORE_BATCH = 1000;
    /** A version with more files than this has its thumbnails made only as pages show them (its list is not held). */
    static final int MAX_BUILD_FILES = 200_000;

    /** A thumbnail's bytes, their media type, and where they came from (for the response's Server-Timing). */
    record Thumbnail(byte[] bytes, String contentType, Origin origin) {}

    /** Where a thumbnail came from: this server's disk copy, made here a moment ago, the store, or made now. */
    enum Origin {
        DISK, PENDING, STORE, MADE;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How far the background build of one version's thumbnails is. */
    static final class Build {
        private final AtomicInteger done = new AtomicInteger();
        private volatile int total = -1;
        private volatile boolean finished;
        private volatile String failure;
        private volatile long millis = -1;

        /** Images of the version (-1 until they are listed). */
        int total() {
            return total;
        }

        int done() {
            return done.get();
        }

        boolean finished() {
            return finished;
        }

        /** How long the build took, listing included (-1 until it finished). */
        long millis() {
            return millis;
        }

        /** Why the build stopped early, or null. */
        String failure() {
            return failure;
        }
    }

    private final FileCache cache;
    private final DerivedBlobs store;
    private final Function<FileEntry, InputStream> content;
    /** Made here, not yet in the store. */
    private final Map<Digest, Made> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean storeScheduled = new AtomicBoolean();
    private final ScheduledExecutorService storer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ferry-thumbnails-store").factory());
    /** One thread: a build must not take the core the page's own thumbnails are made on. */
    private final ExecutorService builder = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("ferry-thumbnails-build").factory());
    /** The builds of the versions asked for lately, by version. */
    private final Map<String, Build> builds = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Build> eldest) {
            return size() > 32 && eldest.getValue().finished();
        }
    });

    /**
     * @param cacheDir this server's disk copies
     * @param store where thumbnails are kept for every server of the store
     * @param content a stored file's content
     */
    Thumbnails(Path cacheDir, DerivedBlobs store, Function<FileEntry, InputStream> content) {
        this.cache = new FileCache(cacheDir, ".jpg", CACHE_BYTES);
        this.store = store;
        this.content = content;
    }

    /** The thumbnail of {@code file}, made now if nobody made it yet; empty when it is not an image the JDK decodes. */
    Optional<Thumbnail> of(FileEntry file) throws IOException {
        Digest source = file.digest();
        Optional<Path> copy = cache.find(source.hex());
        if (copy.isPresent()) {
            return Optional.of(new Thumbnail(Files.readAllBytes(copy.get()), "image/jpeg", Origin.DISK));
        }
        Made made = pending.get(source);
        if (made != null) {
            return shown(file, made, Origin.PENDING);
        }
        DerivedBlob recorded = store.find(KIND, List.of(source)).get(source);
        if (recorded != null) {
            Optional<Thumbnail> found = recorded(file, recorded);
            if (found != null) {
                return found;
            }
        }
        made = make(file);
        if (made == null) {
            return Optional.empty();
        }
        storeLater(made);
        return shown(file, made, Origin.MADE);
    }

    /** A recorded thumbnail; null when its blob cannot be read (its record is forgotten: it is made again). */
    private Optional<Thumbnail> recorded(FileEntry file, DerivedBlob recorded) throws IOException {
        if (recorded.derived().isEmpty()) {
            return Optional.empty();
        }
        Digest derived = recorded.derived().get();
        if (derived.equals(recorded.source())) {
            return shown(file, new Made.AsItIs(recorded.source()), Origin.STORE);
        }
        byte[] jpeg;
        try {
            jpeg = store.read(derived);
        } catch (FerryException e) {
            if (e.code() != ErrorCode.DATA_CORRUPT) {
                throw e;
            }
            store.forget(List.of(recorded.source()));
            return null;
        }
        cache.file(recorded.source().hex(), out -> out.write(jpeg));
        return Optional.of(new Thumbnail(jpeg, "image/jpeg", Origin.STORE));
    }

    /** What {@code made} shows: the made JPEG (kept on this disk), the stored image itself, or nothing. */
    private Optional<Thumbnail> shown(FileEntry file, Made made, Origin origin) throws IOException {
        return switch (made) {
            case Made.Bytes b -> {
                cache.file(b.source().hex(), out -> out.write(b.bytes()));
                yield Optional.of(new Thumbnail(b.bytes(), "image/jpeg", origin));
            }
            case Made.AsItIs a -> {
                byte[] bytes = read(file);
                String type = ThumbnailImages.browserType(bytes);
                yield type == null ? Optional.empty() : Optional.of(new Thumbnail(bytes, type, origin));
            }
            case Made.Nothing n -> Optional.empty();
        };
    }

    /** The thumbnail of {@code file} made from its content; null for an image too large to decode for one. */
    private Made make(FileEntry file) {
        if (file.size() > MAX_IMAGE_BYTES) {
            return null; // not recorded: the limit may change
        }
        return ThumbnailImages.make(file.digest(), read(file));
    }

    private byte[] read(FileEntry file) {
        try (InputStream in = content.apply(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void storeLater(Made made) {
        pending.putIfAbsent(made.source(), made);
        if (pending.size() >= STORE_BATCH) {
            storer.execute(this::storePending);
        } else if (storeScheduled.compareAndSet(false, true)) {
            storer.schedule(() -> {
                storeScheduled.set(false);
                storePending();
            }, STORE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Stores what was made here since the last batch; what cannot be stored now is made again when asked for. */
    private void storePending() {
        List<Made> batch = new ArrayList<>(pending.values());
        if (batch.isEmpty()) {
            return;
        }
        try {
            store.store(KIND, batch);
        } catch (RuntimeException e) {
            System.err.println("thumbnails: " + batch.size() + " made but not stored: " + e.getMessage());
        } finally {
            batch.forEach(m -> pending.remove(m.source(), m));
        }
    }

    /**
     * Has every thumbnail of a version made in the background (its files in the image folder, listed by
     * {@code images} on the build's thread), unless it is being or was built, or has more than
     * {@link #MAX_BUILD_FILES} {@code files} (asked only then); returns the build.
     */
    Build buildAll(String version, java.util.function.LongSupplier files, Supplier<List<FileEntry>> images) {
        Build known = builds.get(version);
        if (known != null) {
            return known;
        }
        Build build = new Build();
        if (files.getAsLong() > MAX_BUILD_FILES) {
            build.failure = "more than " + String.format("%,d", MAX_BUILD_FILES) + " files: thumbnails are made as pages show them";
            build.millis = 0;
            build.finished = true;
            builds.put(version, build);
            return build;
        }
        Build raced = builds.putIfAbsent(version, build);
        if (raced != null) {
            return raced;
        }
        builder.execute(() -> run(build, images));
        return build;
    }

    private void run(Build build, Supplier<List<FileEntry>> images) {
        long started = System.nanoTime();
        try {
            Map<Digest, FileEntry> bySource = new LinkedHashMap<>();
            for (FileEntry f : images.get()) {
                bySource.putIfAbsent(f.digest(), f);
            }
            build.total = bySource.size();
            List<FileEntry> files = new ArrayList<>(bySource.values());
            for (int from = 0; from < files.size(); from += STORE_BATCH) {
                List<FileEntry> batch = files.subList(from, Math.min(files.size(), from + STORE_BATCH));
                Map<Digest, DerivedBlob> recorded = store.find(KIND, batch.stream().map(FileEntry::digest).toList());
                List<Made> made = new ArrayList<>();
                for (FileEntry f : batch) {
                    if (Thread.currentThread().isInterrupted()) {
                        build.failure = "stopped with the server";
                        return;
                    }
                    if (!recorded.containsKey(f.digest()) && !pending.containsKey(f.digest())) {
                        try {
                            Made m = make(f);
                            if (m != null) {
                                made.add(m);
                            }
                        } catch (FerryException | java.io.UncheckedIOException unreadable) {
                            // a damaged image: nothing recorded (a push may store it again), the others go on
                        }
                    }
                    build.done.incrementAndGet();
                }
                store.store(KIND, made);
            }
        } catch (RuntimeException e) {
            build.failure = e.getMessage();
        } finally {
            build.millis = (System.nanoTime() - started) / 1_000_000;
            build.finished = true;
        }
    }

    /** Stores what was made and not stored yet, and stops the background work. */
    @Override
    public void close() {
        builder.shutdownNow(); // a build stops at its next image; what it made of its batch is made again later
        storer.shutdown(); // a batch being stored is let finish, so it is not stored twice
        try {
            storer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        storePending();
    }
}
