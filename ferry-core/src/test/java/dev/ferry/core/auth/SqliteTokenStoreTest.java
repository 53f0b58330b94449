package dev.ferry.core.auth;

import dev.ferry.core.jdbc.JdbcDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteTokenStoreTest extends TokenStoreContract {
    @TempDir
    Path tmp;

    @Override
    JdbcDatabase newCatalog() {
        return JdbcDatabase.sqlite(tmp.resolve("catalog.db"));
    }
}
