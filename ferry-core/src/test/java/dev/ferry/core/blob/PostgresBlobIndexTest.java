package dev.ferry.core.blob;

import dev.ferry.core.jdbc.JdbcDatabase;
import dev.ferry.core.testing.PostgresServer;

class PostgresBlobIndexTest extends BlobIndexContract {
    private JdbcDatabase db;

    @Override
    protected BlobIndex newIndex() {
        db = JdbcDatabase.open(PostgresServer.get().newDatabase(), null, null);
        return db.blobIndex();
    }

    @Override
    protected void closeIndex() {
        db.close();
    }
}
