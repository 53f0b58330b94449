package dev.ferry.core.auth;

import dev.ferry.core.catalog.JdbcCatalog;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteTokenStoreTest extends TokenStoreContract {
    @TempDir
    Path tmp;

    @Override
    JdbcCatalog newCatalog() {
        return JdbcCatalog.sqlite(tmp.resolve("catalog.db"));
    }
}
