package dev.ferry.core.transfer;

import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.pack.BlobLocation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;

/** Writes one file of a manifest from verified blobs, with its mode. */
final class FileRestorer {
    private final BlobStore store;
    private final int umask;
    private final TransferListener listener;

    FileRestorer(BlobStore store, Path scratchDir, TransferListener listener) {
        this.store = store;
        this.umask = Modes.umask(scratchDir);
        this.listener = listener;
    }

    /** The locations of every chunk of these files; DATA_CORRUPT if the store lost one. */
    Map<Digest, BlobLocation> locate(Collection<FileEntry> entries) {
        java.util.List<Digest> digests = new java.util.ArrayList<>();
        for (FileEntry e : entries) {
            for (ChunkRef c : e.chunks()) {
                digests.add(c.digest());
            }
        }
        Map<Digest, BlobLocation> found = store.locate(digests);
        for (FileEntry e : entries) {
            for (ChunkRef c : e.chunks()) {
                if (!found.containsKey(c.digest())) {
                    throw new FerryException(ErrorCode.DATA_CORRUPT, "'" + e.path() + "' needs blob " + c.digest()
                            + ", which the store does not hold (lost, or found damaged)",
                            "push or upload that file again to store it anew; 'ferry fsck' lists every affected file");
                }
            }
        }
        return found;
    }

    /** Creates {@code target} (which must not exist) with the entry's content and mode, read from the store. */
    void write(FileEntry entry, Path target, Map<Digest, BlobLocation> locations) {
        // one direct buffer per writing thread: blobs go pack -> buffer -> file, never via the heap
        write(entry, target, c -> store.read(locations.get(c.digest()),
                DirectBuffers.mine(c.length(), dev.ferry.core.chunk.GearChunker.MAX_SIZE)));
    }

    /** Creates {@code target} from blobs read already ({@link BlobStore#readAll}, verified). */
    void writeFrom(FileEntry entry, Path target, Map<Digest, byte[]> blobs) {
        write(entry, target, c -> ByteBuffer.wrap(blobs.get(c.digest())));
    }

    private void write(FileEntry entry, Path target, java.util.function.Function<ChunkRef, ByteBuffer> chunks) {
        try (FileChannel out = FileChannel.open(target,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(Modes.fromBits(entry.mode())))) {
            long written = 0;
            for (ChunkRef c : entry.chunks()) {
                ByteBuffer b = chunks.apply(c);
                int length = b.remaining();
                while (b.hasRemaining()) {
                    written += out.write(b);
                }
                listener.progressed(length);
            }
            if (written != entry.size()) {
                throw new FerryException(ErrorCode.DATA_CORRUPT, "'" + entry.path() + "' restored to " + written
                        + " bytes, its manifest says " + entry.size(), "run 'ferry fsck'");
            }
        } catch (FileAlreadyExistsException e) {
            throw new FerryException(ErrorCode.DESTINATION_NOT_EMPTY, "'" + target + "' already exists",
                    "use --force to overwrite");
        } catch (IOException e) {
            throw writeFailure(target, e);
        }
        // The umask may have cleared bits the manifest asks for; only then is a chmod needed.
        if ((entry.mode() & umask) != 0) {
            try {
                Files.setPosixFilePermissions(target, Modes.fromBits(entry.mode()));
            } catch (IOException e) {
                throw writeFailure(target, e);
            }
        }
        listener.fileDone();
    }

    static FerryException writeFailure(Path target, IOException e) {
        String message = String.valueOf(e.getMessage());
        boolean full = dev.ferry.core.error.DiskFull.is(e);
        return new FerryException(full ? ErrorCode.STORAGE_FAILED : ErrorCode.LOCAL_PATH,
                (full ? "disk full writing " : "cannot write ") + target + ": " + message,
                full ? "free some space and retry" : "check the destination's permissions", e);
    }
}
