package dev.ferry.core.blob;

import dev.ferry.core.pack.LocalPackStore;
import dev.ferry.core.pack.PackStore;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/** Helpers for the local-directory pack store in tests: where packs are, and damaging one. */
public final class LocalBlobStoreSupport {
    private LocalBlobStoreSupport() {}

    public static void flipByte(PackStore packs, String packId, long offset) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(Path.of(packs.locate(packId)).toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0xFF);
        }
    }

    public static PackStore newLocal(Path dir) throws Exception {
        return new LocalPackStore(dir);
    }
}
