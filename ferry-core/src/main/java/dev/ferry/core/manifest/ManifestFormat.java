package dev.ferry.core.manifest;

import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Manifest blobs, version 1 (see docs/storage-format.md). A manifest is a root blob listing pages;
 * each page holds a run of files in {@link PathOrder} (see {@link ManifestWriter} for where pages end), paths
 * prefix-compressed, the whole page deflated. No timestamps: the same tree gives the same root digest.
 */
final class ManifestFormat {
    static final byte[] PAGE_MAGIC = "FMP1".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ROOT_MAGIC = "FMR1".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    /** Linux PATH_MAX; longer relative paths cannot be restored anywhere. */
    static final int MAX_PATH_BYTES = 4096;
    private static final int MAX_PAGE_BYTES = 256 << 20;

    private ManifestFormat() {}

    /** A page as the root lists it. */
    record PageRef(Digest digest, int count, String firstPath, String lastPath) {}

    record Root(long fileCount, long totalBytes, List<PageRef> pages) {}

    static byte[] encodePage(List<FileEntry> entries) throws IOException {
        VarCodec.Buffer raw = new VarCodec.Buffer(entries.size() * 96);
        VarCodec.writeLong(raw, entries.size());
        byte[] previous = new byte[0];
        for (FileEntry e : entries) {
            byte[] path = e.path().getBytes(StandardCharsets.UTF_8);
            int shared = Arrays.mismatch(previous, path);
            if (shared < 0) shared = path.length;
            shared = Math.min(shared, Math.min(previous.length, path.length));
            VarCodec.writeLong(raw, shared);
            VarCodec.writeLong(raw, path.length - shared);
            raw.write(path, shared, path.length - shared);
            VarCodec.writeLong(raw, e.mode());
            VarCodec.writeLong(raw, e.size());
            VarCodec.writeLong(raw, e.chunks().size());
            for (ChunkRef c : e.chunks()) {
                raw.write(c.digest().toBytes());
                VarCodec.writeLong(raw, c.length());
            }
            previous = path;
        }
        return wrap(PAGE_MAGIC, raw);
    }

    static List<FileEntry> decodePage(byte[] blob) throws IOException {
        InputStream in = unwrap(PAGE_MAGIC, blob, "manifest page");
        int count = VarCodec.readInt(in);
        List<FileEntry> entries = new ArrayList<>(count);
        byte[] previous = new byte[0];
        for (int i = 0; i < count; i++) {
            int shared = VarCodec.readInt(in);
            int suffix = VarCodec.readInt(in);
            if (shared > previous.length || shared + suffix > MAX_PATH_BYTES) {
                throw new IOException("manifest page entry " + i + " has a bad path length");
            }
            byte[] path = Arrays.copyOf(previous, shared + suffix);
            if (in.readNBytes(path, shared, suffix) != suffix) {
                throw new IOException("manifest page truncated");
            }
            int mode = VarCodec.readInt(in);
            long size = VarCodec.readLong(in);
            int chunkCount = VarCodec.readInt(in);
            List<ChunkRef> chunks = new ArrayList<>(chunkCount);
            byte[] digest = new byte[Digest.BYTES];
            for (int c = 0; c < chunkCount; c++) {
                if (in.readNBytes(digest, 0, Digest.BYTES) != Digest.BYTES) {
                    throw new IOException("manifest page truncated");
                }
                chunks.add(new ChunkRef(Digest.fromBytes(digest), VarCodec.readInt(in)));
            }
            entries.add(new FileEntry(new String(path, StandardCharsets.UTF_8), size, mode, chunks));
            previous = path;
        }
        return entries;
    }

    static byte[] encodeRoot(Root root) throws IOException {
        VarCodec.Buffer raw = new VarCodec.Buffer(64 + root.pages().size() * 128);
        VarCodec.writeLong(raw, VERSION);
        VarCodec.writeLong(raw, root.fileCount());
        VarCodec.writeLong(raw, root.totalBytes());
        VarCodec.writeLong(raw, root.pages().size());
        for (PageRef p : root.pages()) {
            raw.write(p.digest().toBytes());
            VarCodec.writeLong(raw, p.count());
            VarCodec.writeString(raw, p.firstPath());
            VarCodec.writeString(raw, p.lastPath());
        }
        return wrap(ROOT_MAGIC, raw);
    }

    static Root decodeRoot(byte[] blob) throws IOException {
        InputStream in = unwrap(ROOT_MAGIC, blob, "manifest root");
        int version = VarCodec.readInt(in);
        if (version != VERSION) {
            throw new IOException("manifest version " + version + " is newer than this ferry understands");
        }
        long files = VarCodec.readLong(in);
        long bytes = VarCodec.readLong(in);
        int pageCount = VarCodec.readInt(in);
        List<PageRef> pages = new ArrayList<>(pageCount);
        byte[] digest = new byte[Digest.BYTES];
        for (int i = 0; i < pageCount; i++) {
            if (in.readNBytes(digest, 0, Digest.BYTES) != Digest.BYTES) {
                throw new IOException("manifest root truncated");
            }
            pages.add(new PageRef(Digest.fromBytes(digest), VarCodec.readInt(in),
                    VarCodec.readString(in, MAX_PATH_BYTES), VarCodec.readString(in, MAX_PATH_BYTES)));
        }
        return new Root(files, bytes, pages);
    }

    private static byte[] wrap(byte[] magic, VarCodec.Buffer raw) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(raw.array(), 0, raw.size());
            deflater.finish();
            VarCodec.Buffer out = new VarCodec.Buffer(raw.size() / 3 + 64);
            out.write(magic, 0, magic.length);
            byte[] chunk = new byte[64 * 1024];
            while (!deflater.finished()) {
                int n = deflater.deflate(chunk);
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static InputStream unwrap(byte[] magic, byte[] blob, String what) throws IOException {
        if (blob.length < magic.length || !Arrays.equals(blob, 0, magic.length, magic, 0, magic.length)) {
            throw new IOException("not a " + what + " (bad magic)");
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(blob, magic.length, blob.length - magic.length);
            VarCodec.Buffer out = new VarCodec.Buffer(blob.length * 4);
            byte[] chunk = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IOException(what + " is truncated");
                }
                out.write(chunk, 0, n);
                if (out.size() > MAX_PAGE_BYTES) {
                    throw new IOException(what + " is larger than " + MAX_PAGE_BYTES + " bytes");
                }
            }
            return new ByteArrayInputStream(out.array(), 0, out.size());
        } catch (DataFormatException e) {
            throw new IOException(what + " is not valid deflate data", e);
        } finally {
            inflater.end();
        }
    }
}
