package dev.ferry.core.blob;

import dev.ferry.core.jdbc.JdbcDatabase;
import dev.ferry.core.pack.PackStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteBlobStoreTest extends PackedBlobStoreContract {
    @TempDir
    Path dir;

    private JdbcDatabase db;

    @Override
    protected void openIndex() {
        db = JdbcDatabase.sqlite(dir.resolve("catalog.db"));
        index = db.blobIndex();
        catalog = db.catalog();
    }

    @Override
    protected void closeIndex() {
        db.close();
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
