package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.testing.PostgresServer;
import dev.ferry.core.testing.TestFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same CLI with its catalog in PostgreSQL instead of SQLite. */
class PostgresCatalogCliTest {
    @TempDir
    Path tmp;

    @Test
    void uploadAndDownloadWithAPostgresCatalog() throws Exception {
        CliRun ferry = new CliRun(tmp.resolve("home"));
        Path src = TestFiles.tree(tmp.resolve("src"), 30, 8);
        assertThat(ferry.run("config", "set", "catalog.url", PostgresServer.get().newDatabase()).exit()).isZero();
        assertThat(ferry.run("repo", "create", "--repo", "pg").exit()).isZero();
        CliRun.Result up = ferry.run("bundle", "upload", "--path", src.toString(), "--repo", "pg", "--message", "m");
        assertThat(up.exit()).as(up.toString()).isZero();
        Path out = tmp.resolve("out");
        assertThat(ferry.run("bundle", "download", "--repo", "pg", "--label", "latest", "--destination",
                out.toString()).exit()).isZero();
        TestFiles.assertSameTree(src, out);
        assertThat(ferry.run("fsck").out()).contains("no problems found");
        assertThat(tmp.resolve("home/catalog.db")).doesNotExist();
        // a catalog several servers may share: gc keeps what other servers may be uploading
        CliRun.Result hasty = ferry.run("gc", "--grace", "0s");
        assertThat(hasty.exit()).as(hasty.toString()).isEqualTo(2);
        assertThat(hasty.err()).contains("too short for a catalog that several servers may share", "--grace 10m");
        assertThat(ferry.run("gc", "--grace", "10m").exit()).isZero();
    }

    @Test
    void anUnreachableCatalogIsExitFour() {
        CliRun ferry = new CliRun(tmp.resolve("home"));
        ferry.run("config", "set", "catalog.url", "jdbc:postgresql://127.0.0.1:1/x?user=u&password=hunter2");
        CliRun.Result r = ferry.run("repo", "list");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err()).startsWith("error: cannot open the catalog").doesNotContain("hunter2");
        assertThat(ferry.run("config", "list").out()).contains("password=***").doesNotContain("hunter2");
    }
}
