package dev.ferry.core.blob;

import dev.ferry.core.jdbc.JdbcDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteBlobIndexTest extends BlobIndexContract {
    @TempDir
    Path dir;
    private JdbcDatabase db;

    @Override
    protected BlobIndex newIndex() {
        db = JdbcDatabase.sqlite(dir.resolve("catalog.db"));
        return db.blobIndex();
    }

    @Override
    protected void closeIndex() {
        db.close();
    }
}
