package dev.ferry.core.run;

import dev.ferry.core.jdbc.JdbcDatabase;
import dev.ferry.core.testing.PostgresServer;

class PostgresRunLogTest extends RunLogContract {
    private JdbcDatabase db;

    @Override
    protected RunLog newRunLog() {
        db = JdbcDatabase.open(PostgresServer.get().newDatabase(), null, null);
        return db.runLog();
    }

    @Override
    protected void closeRunLog() {
        db.close();
    }
}
