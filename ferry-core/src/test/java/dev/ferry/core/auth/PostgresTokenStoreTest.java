package dev.ferry.core.auth;

import dev.ferry.core.catalog.JdbcCatalog;
import dev.ferry.core.testing.PostgresServer;

class PostgresTokenStoreTest extends TokenStoreContract {
    @Override
    JdbcCatalog newCatalog() {
        return JdbcCatalog.open(PostgresServer.get().newDatabase(), null, null);
    }
}
