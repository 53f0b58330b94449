package dev.ferry.core.run;

import dev.ferry.core.jdbc.JdbcDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteRunLogTest extends RunLogContract {
    @TempDir
    Path dir;
    private JdbcDatabase db;

    @Override
    protected RunLog newRunLog() {
        db = JdbcDatabase.sqlite(dir.resolve("catalog.db"));
        return db.runLog();
    }

    @Override
    protected void closeRunLog() {
        db.close();
    }
}
