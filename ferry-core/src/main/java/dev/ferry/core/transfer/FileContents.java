package dev.ferry.core.transfer;

import dev.ferry.core.chunk.ChunkReader;
import dev.ferry.core.chunk.GearChunker;
import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a local file would be stored as, worked out without storing anything: its chunks, and the
 * digest its manifest entry would have ({@link FileEntry#digest()}: not the SHA-256 of its bytes
 * once it is stored as several chunks). To ask whether a file on disk is the one a bundle holds.
 */
public final class FileContents {
    private FileContents() {}

    /**
     * The chunks the uploader would store this file as: as it does, by the file's size, one chunk
     * below the chunker's minimum (none when empty), else the gear chunker's cuts.
     */
    public static List<ChunkRef> chunksOf(Path file) throws IOException {
        if (Files.size(file) < GearChunker.MIN_SIZE) {
            byte[] bytes = Files.readAllBytes(file);
            return bytes.length == 0 ? List.of() : List.of(new ChunkRef(Digest.of(bytes), bytes.length));
        }
        List<ChunkRef> chunks = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            ChunkReader reader = new ChunkReader(in);
            for (ChunkReader.Chunk c = reader.next(); c != null; c = reader.next()) {
                chunks.add(new ChunkRef(Digest.of(c.buffer(), c.offset(), c.length()), c.length()));
            }
        }
        return chunks;
    }

    /** The digest a manifest entry of this file would have. */
    public static Digest digestOf(Path file) throws IOException {
        return FileEntry.digestOf(chunksOf(file));
    }
}
