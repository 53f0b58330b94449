package dev.ferry.core.transfer;

import dev.ferry.core.manifest.ManifestSummary;
import dev.ferry.core.manifest.PathOrder;
import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * Remembers, per uploaded folder, each file's (size, mtime, inode, mode) and the chunks its content
 * was cut into, so that an unchanged file is not read again. Records are kept in walk order, so a new
 * upload reads the old cache alongside its walk (a merge, constant memory) and writes the new one.
 * A damaged or missing cache only costs re-hashing; it can never change what is stored.
 */
final class StatCache {
    private static final int MAGIC = 0x46534332; // "FSC2"
    private static final int MAX_PATH = 1 << 16;

    private StatCache() {}

    /** The cache file for a folder (by its real path) under the cache directory. */
    static Path fileFor(Path cacheDir, Path folder) {
        byte[] key = folder.toString().getBytes(StandardCharsets.UTF_8);
        return cacheDir.resolve(Digest.of(key).hex().substring(0, 32) + ".statcache");
    }

    record Entry(String path, long size, long mtimeNanos, String fileKey, int mode, List<ChunkRef> chunks) {
        boolean matches(TreeWalker.FileItem item) {
            return size == item.size() && mtimeNanos == item.mtimeNanos() && fileKey.equals(item.fileKey())
                    && mode == item.mode();
        }
    }

    /** Reads an old cache in walk order; lookups must come in walk order too. */
    static final class Reader implements AutoCloseable {
        private final DataInputStream in;
        private final java.util.zip.Inflater inflater;
        private Entry current;
        private ManifestSummary trailer;

        private Reader(DataInputStream in, java.util.zip.Inflater inflater) {
            this.in = in;
            this.inflater = inflater;
            advance();
        }

        static Reader open(Path file) {
            try {
                InputStream raw = Files.newInputStream(file);
                java.util.zip.Inflater inflater = new java.util.zip.Inflater();
                DataInputStream in = new DataInputStream(new BufferedInputStream(
                        new InflaterInputStream(raw, inflater, 1 << 16), 1 << 16));
                if (in.readInt() != MAGIC) {
                    in.close();
                    inflater.end();
                    return empty();
                }
                return new Reader(in, inflater);
            } catch (NoSuchFileException e) {
                return empty();
            } catch (IOException e) {
                return empty();
            }
        }

        static Reader empty() {
            return new Reader(null, null);
        }

        /**
         * For the no-change check: true if the next cached entry is exactly this file (same path, in
         * order, with the same stat), in which case it is consumed.
         */
        boolean nextIs(TreeWalker.FileItem item) {
            if (current != null && current.path().equals(item.path()) && current.matches(item)) {
                advance();
                return true;
            }
            return false;
        }

        /** After every entry was consumed: the manifest the cache was written for, or null. */
        ManifestSummary completedManifest() {
            return current == null ? trailer : null;
        }

        /** The cached entry for this file if it looks unchanged, else null. */
        Entry lookup(TreeWalker.FileItem item) {
            while (current != null && PathOrder.compare(current.path(), item.path()) < 0) {
                advance();
            }
            if (current != null && current.path().equals(item.path()) && current.matches(item)) {
                return current;
            }
            return null;
        }

        private void advance() {
            if (in == null) {
                current = null;
                return;
            }
            try {
                if (in.readByte() == 0) {
                    current = null;
                    byte[] root = new byte[Digest.BYTES];
                    in.readFully(root);
                    trailer = new ManifestSummary(Digest.fromBytes(root), in.readLong(), in.readLong());
                    return;
                }
                String path = readPath();
                current = new Entry(path, in.readLong(), in.readLong(), in.readUTF(), in.readInt(), readChunks());
            } catch (EOFException e) {
                current = null;
            } catch (IOException | RuntimeException e) {
                current = null; // a damaged cache only means re-reading files
            }
        }

        private String readPath() throws IOException {
            int n = in.readInt();
            if (n < 0 || n > MAX_PATH) throw new IOException("bad path length");
            return new String(in.readNBytes(n), StandardCharsets.UTF_8);
        }

        private List<ChunkRef> readChunks() throws IOException {
            int n = in.readInt();
            if (n < 0 || n > (1 << 24)) throw new IOException("bad chunk count");
            List<ChunkRef> chunks = new ArrayList<>(n);
            byte[] d = new byte[Digest.BYTES];
            for (int i = 0; i < n; i++) {
                in.readFully(d);
                chunks.add(new ChunkRef(Digest.fromBytes(d), in.readInt()));
            }
            return chunks;
        }

        @Override
        public void close() {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // read-only
                }
                inflater.end();
            }
        }
    }

    /** Writes a new cache next to the old one; it replaces it only on {@link #commit()}. */
    static final class Writer implements AutoCloseable {
        private final Path target;
        private final Path partial;
        private final DataOutputStream out;
        private final Deflater deflater;
        private boolean committed;

        Writer(Path target) throws IOException {
            Files.createDirectories(target.getParent());
            this.target = target;
            this.partial = target.resolveSibling(target.getFileName() + "." + HexFormat.of().toHexDigits(System.nanoTime()));
            OutputStream raw = Files.newOutputStream(partial);
            // Digests do not compress; paths do. The fastest level gets most of it at little cost.
            this.deflater = new Deflater(Deflater.BEST_SPEED);
            this.out = new DataOutputStream(new BufferedOutputStream(new DeflaterOutputStream(raw, deflater, 1 << 16), 1 << 16));
            out.writeInt(MAGIC);
        }

        void append(TreeWalker.FileItem item, List<ChunkRef> chunks) throws IOException {
            out.writeByte(1);
            byte[] path = item.path().getBytes(StandardCharsets.UTF_8);
            out.writeInt(path.length);
            out.write(path);
            out.writeLong(item.size());
            out.writeLong(item.mtimeNanos());
            out.writeUTF(item.fileKey());
            out.writeInt(item.mode());
            out.writeInt(chunks.size());
            for (ChunkRef c : chunks) {
                out.write(c.digest().toBytes());
                out.writeInt(c.length());
            }
        }

        /** Ends the cache with the manifest it describes, and makes it the folder's cache. */
        void commit(ManifestSummary manifest) throws IOException {
            out.writeByte(0);
            out.write(manifest.root().toBytes());
            out.writeLong(manifest.fileCount());
            out.writeLong(manifest.totalBytes());
            out.close();
            deflater.end();
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            committed = true;
        }

        @Override
        public void close() {
            if (!committed) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // discarded anyway
                }
                deflater.end();
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // a leftover partial cache is harmless
                }
            }
        }
    }
}
