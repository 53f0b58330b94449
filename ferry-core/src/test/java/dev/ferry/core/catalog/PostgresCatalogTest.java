package dev.ferry.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.jdbc.JdbcDatabase;
import dev.ferry.core.testing.PostgresServer;
import org.junit.jupiter.api.Test;

class PostgresCatalogTest extends CatalogContract {
    private JdbcDatabase db;

    @Override
    protected Catalog newCatalog() {
        db = JdbcDatabase.open(PostgresServer.get().newDatabase(), null, null);
        return db.catalog();
    }

    @Override
    protected void closeCatalog() {
        db.close();
    }

    @Test
    void anUnreachableServerIsExitCodeFour() {
        assertThatThrownBy(() -> JdbcDatabase.open("jdbc:postgresql://127.0.0.1:1/none?user=x&password=secret&connectTimeout=2",
                null, null))
                .isInstanceOf(FerryException.class)
                .satisfies(e -> {
                    assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.UNREACHABLE);
                    assertThat(e.getMessage()).doesNotContain("secret");
                });
    }
}
