package dev.ferry.core.pack;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Packs as files under a directory: {@code packs/<xx>/<id>.pack}, where {@code xx} is the id's last
 * two characters (the random part, so the fan-out is even). A pack is written under {@code tmp/},
 * fsynced, renamed into place and its directory fsynced: a crash leaves either no pack or a whole one.
 */
public final class LocalPackStore implements PackStore {
    static final String SUFFIX = ".pack";
    static final String PARTIAL_SUFFIX = ".pack.partial";
    private static final int MAX_CACHED_CHANNELS = 256;

    private final Path packs;
    private final Path tmp;
    private final Path journal;
    private final ConcurrentHashMap<String, FileChannel> readers = new ConcurrentHashMap<>();
    /**
     * Write buffers are reused: a direct buffer is only freed when the GC notices it, so one per pack
     * would pile up hundreds of MiB of native memory in an upload of many tiny files.
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer> writeBuffers =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /**
     * Writes packs being filled back to disk while they fill (see {@link LocalOutput#EARLY_FLUSH}); one
     * thread, gone after a few idle seconds.
     */
    private final java.util.concurrent.ThreadPoolExecutor flusher = new java.util.concurrent.ThreadPoolExecutor(
            0, 1, 5, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "ferry-pack-flush");
                t.setDaemon(true);
                return t;
            });

    public LocalPackStore(Path root) throws IOException {
        this.packs = root.resolve("packs");
        this.tmp = root.resolve("tmp");
        this.journal = root.resolve("journal");
        Files.createDirectories(packs);
        Files.createDirectories(tmp);
    }

    @Override
    public void writeJournal(String name, byte[] content) throws IOException {
        PackStore.checkJournalName(name);
        Files.createDirectories(journal);
        Path target = journal.resolve(name);
        Path partial = tmp.resolve("journal-" + name + PARTIAL_SUFFIX);
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(content);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        if (Files.exists(target)) {
            Files.deleteIfExists(partial);
            throw new java.nio.file.FileAlreadyExistsException(target.toString());
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(journal);
    }

    @Override
    public List<String> listJournal() throws IOException {
        if (!Files.isDirectory(journal)) {
            return List.of();
        }
        try (var names = Files.list(journal)) {
            return names.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    @Override
    public String describe() {
        return packs.getParent().toString();
    }

    /** The packs directory is there and a directory (a listing of a missing journal would just be empty). */
    @Override
    public void probe() throws IOException {
        if (!Files.isDirectory(packs)) {
            throw new java.nio.file.NotDirectoryException(packs + " (the store's packs directory is missing or not a directory)");
        }
        try (var names = Files.newDirectoryStream(packs)) {
            names.iterator().hasNext();
        }
    }

    @Override
    public boolean hasJournal() throws IOException {
        if (!Files.isDirectory(journal)) {
            return false;
        }
        try (var names = Files.newDirectoryStream(journal, n -> !n.getFileName().toString().startsWith("."))) {
            return names.iterator().hasNext();
        }
    }

    @Override
    public byte[] readJournal(String name) throws IOException {
        PackStore.checkJournalName(name);
        return Files.readAllBytes(journal.resolve(name));
    }


    Path pathOf(String packId) {
        return packs.resolve(packId.substring(packId.length() - 2)).resolve(packId + SUFFIX);
    }

    @Override
    public String locate(String packId) {
        return pathOf(packId).toString();
    }

    @Override
    public PackOutput create(String packId) throws IOException {
        Path partial = tmp.resolve(packId + PARTIAL_SUFFIX);
        FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteBuffer buffer = writeBuffers.poll();
        return new LocalOutput(partial, pathOf(packId), channel,
                buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(LocalOutput.BUFFER), writeBuffers, flusher);
    }

    @Override
    public byte[] read(String packId, long offset, int length) throws IOException {
        return read(packId, offset, length, null).array();
    }

    private static ByteBuffer readFully(FileChannel channel, String packId, long offset, ByteBuffer target)
            throws IOException {
        long position = offset;
        int length = target.remaining();
        while (target.hasRemaining()) {
            int n = channel.read(target, position);
            if (n < 0) {
                throw new EOFException("pack " + packId + " ends before offset " + (offset + length));
            }
            position += n;
        }
        return target.flip();
    }

    @Override
    public ByteBuffer read(String packId, long offset, int length, ByteBuffer scratch) throws IOException {
        ByteBuffer target = scratch != null && scratch.capacity() >= length ? scratch.clear() : ByteBuffer.allocate(length);
        target.limit(length);
        FileChannel cached = readers.get(packId);
        if (cached != null) {
            try {
                return readFully(cached, packId, offset, target);
            } catch (ClosedByInterruptException e) {
                throw e;
            } catch (ClosedChannelException e) {
                readers.remove(packId, cached);
            }
        }
        FileChannel channel = FileChannel.open(pathOf(packId), StandardOpenOption.READ);
        if (readers.size() < MAX_CACHED_CHANNELS && readers.putIfAbsent(packId, channel) == null) {
            return readFully(channel, packId, offset, target);
        }
        try (channel) {
            return readFully(channel, packId, offset, target);
        }
    }

    @Override
    public InputStream open(String packId) throws IOException {
        return Files.newInputStream(pathOf(packId));
    }

    @Override
    public long size(String packId) throws IOException {
        return Files.size(pathOf(packId));
    }

    @Override
    public List<PackInfo> list() throws IOException {
        List<PackInfo> result = new ArrayList<>();
        try (DirectoryStream<Path> fanout = Files.newDirectoryStream(packs)) {
            for (Path dir : fanout) {
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
                    for (Path file : files) {
                        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                        String name = file.getFileName().toString();
                        result.add(new PackInfo(
                                name.substring(0, name.length() - SUFFIX.length()),
                                a.size(),
                                a.lastModifiedTime().toInstant()));
                    }
                }
            }
        }
        result.sort((x, y) -> x.id().compareTo(y.id()));
        return result;
    }

    @Override
    public boolean delete(String packId) throws IOException {
        FileChannel cached = readers.remove(packId);
        if (cached != null) {
            cached.close();
        }
        return Files.deleteIfExists(pathOf(packId));
    }

    @Override
    public int removeAbandoned(Duration olderThan) throws IOException {
        Instant cutoff = Instant.now().minus(olderThan);
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp, "*" + PARTIAL_SUFFIX)) {
            for (Path file : files) {
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff) && Files.deleteIfExists(file)) {
                        removed++;
                    }
                } catch (NoSuchFileException raced) {
                    // another process finished or removed it
                }
            }
        }
        return removed;
    }

    @Override
    public void close() {
        flusher.shutdown();
        for (FileChannel channel : readers.values()) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a read-only channel cannot lose data
            }
        }
        readers.clear();
    }

    private static final class LocalOutput implements PackOutput {
        static final int BUFFER = 1 << 20;
        /** From this size a direct buffer's bytes are written without going through {@link #buffer}. */
        static final int DIRECT_WRITE = 64 << 10;
        /**
         * A pack being filled is written back to disk in the background each time this much more of it
         * was written: its commit's fsync then only waits for the last few MiB. Without it, the fsyncs of
         * an upload's last packs (then up to 2 x 32 MiB) were ~40 ms at its end with the cores idle.
         */
        static final long EARLY_FLUSH = 8 << 20;
        private final Path partial;
        private final Path target;
        private final FileChannel channel;
        // Batches small blobs into few write calls; direct so the kernel copies straight from it.
        private final ByteBuffer buffer;
        private final java.util.Queue<ByteBuffer> returnTo;
        private final java.util.concurrent.Executor flusher;
        private final java.util.concurrent.atomic.AtomicBoolean flushing = new java.util.concurrent.atomic.AtomicBoolean();
        private long size;
        private long flushedUpTo;
        private boolean done;

        LocalOutput(Path partial, Path target, FileChannel channel, ByteBuffer buffer, java.util.Queue<ByteBuffer> returnTo,
                java.util.concurrent.Executor flusher) {
            this.partial = partial;
            this.target = target;
            this.channel = channel;
            this.buffer = buffer;
            this.returnTo = returnTo;
            this.flusher = flusher;
        }

        /**
         * Small pieces are gathered in the direct buffer and written a megabyte at a time. A large
         * piece is written as it is, after what the buffer holds: from a direct buffer (an upload's
         * batch of small files, read into one) the kernel copies it straight into the file.
         */
        @Override
        public void write(ByteBuffer data) throws IOException {
            int length = data.remaining();
            if (length >= (data.isDirect() ? DIRECT_WRITE : BUFFER)) {
                drain();
                while (data.hasRemaining()) {
                    channel.write(data);
                }
            } else {
                if (buffer.remaining() < length) {
                    drain();
                }
                buffer.put(data);
            }
            size += length;
            flushEarly();
        }

        private void drain() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }

        /**
         * Starts writing back what reached the file so far (all but the buffer's bytes), if enough is new
         * and no flush is under way.
         */
        private void flushEarly() {
            long inFile = size - buffer.position();
            if (inFile - flushedUpTo < EARLY_FLUSH || !flushing.compareAndSet(false, true)) {
                return;
            }
            flushedUpTo = inFile;
            try {
                flusher.execute(() -> {
                    try {
                        channel.force(false);
                    } catch (IOException | RuntimeException e) {
                        // only a head start: commit's own fsync reports what goes wrong
                    } finally {
                        flushing.set(false);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                flushing.set(false);
            }
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void commit() throws IOException {
            drain();
            channel.force(true);
            channel.close();
            Files.createDirectories(target.getParent());
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory(target.getParent());
            done = true;
            returnTo.add(buffer);
        }

        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            returnTo.add(buffer);
            try {
                channel.close();
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                throw new UncheckedIOException("could not remove partial pack " + partial, e);
            }
        }
    }

    /** Makes a rename durable: on Linux the directory entry needs its own fsync. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
