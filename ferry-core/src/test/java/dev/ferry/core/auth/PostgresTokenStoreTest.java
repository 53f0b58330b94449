package dev.ferry.core.auth;

import dev.ferry.core.jdbc.JdbcDatabase;
import dev.ferry.core.testing.PostgresServer;

class PostgresTokenStoreTest extends TokenStoreContract {
    @Override
    JdbcDatabase newCatalog() {
        return JdbcDatabase.open(PostgresServer.get().newDatabase(), null, null);
    }
}
