package dev.ferry.core.blob;

import dev.ferry.core.catalog.Catalog;
import dev.ferry.core.catalog.JdbcCatalog;
import dev.ferry.core.pack.PackStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path dir;

    @Override
    protected Catalog newCatalog() {
        return JdbcCatalog.sqlite(dir.resolve("catalog.db"));
    }

    @Override
    protected PackStore newPackStore() throws Exception {
        return LocalBlobStoreSupport.newLocal(dir.resolve("store"));
    }

    @Override
    protected void flipByte(String packId, long offset) throws Exception {
        LocalBlobStoreSupport.flipByte(packs, packId, offset);
    }
}
