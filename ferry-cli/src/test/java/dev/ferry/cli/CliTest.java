package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.blob.LocalBlobStoreSupport;
import dev.ferry.core.pack.LocalPackStore;
import dev.ferry.core.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The ferry CLI run in-process, as a user would type it. */
class CliTest {
    @TempDir
    Path tmp;

    CliRun ferry;
    Path src;

    @BeforeEach
    void setUp() throws IOException {
        ferry = new CliRun(tmp.resolve("home"));
        src = TestFiles.tree(tmp.resolve("src"), 40, 3);
        Path exe = TestFiles.write(src.resolve("bin/tool"), "#!/bin/sh\n".getBytes());
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-x---"));
    }

    private CliRun.Result ok(String... args) {
        CliRun.Result r = ferry.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private CliRun.Result fails(int exit, String... args) {
        CliRun.Result r = ferry.run(args);
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(r.err()).as("one clear line, no stack trace").startsWith("error: ").doesNotContain("\tat ");
        return r;
    }

    private String upload(String message, String... more) {
        List<String> args = new ArrayList<>(List.of("bundle", "upload", "--path", src.toString(), "--repo", "demo",
                "--message", message));
        args.addAll(List.of(more));
        return ok(args.toArray(String[]::new)).lastLine();
    }

    @Test
    void eightUploadsThatCreateOneNewRepoAtOnceAllSucceed() throws Exception {
        ok("repo", "list"); // the server runs before they race
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<CliRun.Result>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                runs.add(pool.submit(() -> ferry.run("bundle", "upload", "--path", src.toString(), "--repo", "raced",
                        "--message", "m", "--create-repo")));
            }
            for (var run : runs) {
                CliRun.Result r = run.get();
                assertThat(r.exit()).as(r.toString()).isZero();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(ok("bundle", "list", "--repo", "raced").outLines()).hasSize(2); // header and one bundle
    }

    @Test
    void theDatamonWorkflowEndToEnd() throws IOException {
        assertThat(ok("repo", "create", "--repo", "demo", "--description", "first").out()).contains("Created repo demo");
        String first = upload("m", "--label", "init");
        assertThat(first).matches("[0-9A-Za-z]{27}");
        Path out = tmp.resolve("out");
        CliRun.Result down = ok("bundle", "download", "--repo", "demo", "--label", "init", "--destination", out.toString());
        assertThat(down.err()).contains("Downloaded 41 files");
        TestFiles.assertSameTree(src, out);

        TestFiles.write(src.resolve("d0/s0/f0.bin"), "changed".getBytes());
        String second = upload("second");
        assertThat(second).isNotEqualTo(first);
        assertThat(ok("bundle", "diff", "--repo", "demo", "init", "latest").out()).isEqualTo("M d0/s0/f0.bin\n");
        assertThat(ok("bundle", "diff", "--repo", "demo", first, second).out()).isEqualTo("M d0/s0/f0.bin\n");

        List<String> bundles = ok("bundle", "list", "--repo", "demo").outLines();
        assertThat(bundles).hasSize(3);
        assertThat(bundles.get(1)).startsWith(first).contains("init");
        assertThat(bundles.get(2)).startsWith(second).contains("latest").endsWith("second");
        assertThat(ok("label", "list", "--repo", "demo").out()).contains("init    " + first).contains("latest  " + second);
        assertThat(ok("label", "get", "--repo", "demo", "--label", "init").out().trim()).isEqualTo(first);

        List<String> files = ok("bundle", "list", "files", "--repo", "demo", "--bundle", second).outLines();
        assertThat(files).hasSize(41).anyMatch(l -> l.startsWith("0750 ") && l.endsWith("  bin/tool"));

        Path one = tmp.resolve("one");
        ok("bundle", "download", "file", "--file", "bin/tool", "--repo", "demo", "--label", "latest", "--destination",
                one.toString());
        assertThat(Files.getPosixFilePermissions(one.resolve("bin/tool"))).isEqualTo(
                PosixFilePermissions.fromString("rwxr-x---"));

        ok("bundle", "update", "--repo", "demo", "--label", "latest", "--destination", out.toString());
        TestFiles.assertSameTree(src, out);

        assertThat(ok("fsck").out()).contains("no problems found");
        assertThat(ok("gc", "--grace", "0").out()).contains("freed");
        assertThat(ok("repo", "list").out()).contains("demo").contains("first");
    }

    @Test
    void createRepoOnUploadIsIdempotent() {
        for (int i = 0; i < 2; i++) {
            CliRun.Result r = ok("bundle", "upload", "--create-repo", "--path", src.toString(), "--repo", "auto",
                    "--message", "m");
            assertThat(r.err().contains("Created repo auto")).isEqualTo(i == 0);
        }
        assertThat(ok("bundle", "list", "--repo", "auto").outLines()).hasSize(2);
        fails(2, "bundle", "upload", "--path", src.toString(), "--repo", "other", "--message", "m");
    }

    @Test
    void uploadingTheSameContentAgainReportsTheExistingBundle() {
        ok("repo", "create", "--repo", "demo");
        String first = upload("m");
        CliRun.Result again = ferry.run("bundle", "upload", "--path", src.toString(), "--repo", "demo", "--message", "m2");
        assertThat(again.exit()).isZero();
        assertThat(again.lastLine()).isEqualTo(first);
        assertThat(again.err()).contains("identical to bundle " + first).contains("nothing stored");
    }

    @Test
    void jsonOutputIsOneDocumentOnStdout() throws IOException {
        JsonNode repo = ok("repo", "create", "--repo", "demo", "--output", "json").json();
        assertThat(repo.get("name").asText()).isEqualTo("demo");
        JsonNode up = ok("-o", "json", "bundle", "upload", "--path", src.toString(), "--repo", "demo", "--message", "m",
                "--label", "v1").json();
        assertThat(up.get("created").asBoolean()).isTrue();
        assertThat(up.get("files").asInt()).isEqualTo(41);
        assertThat(up.at("/bundle/manifest").asText()).startsWith("sha256:");
        assertThat(up.at("/bundle/createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        String id = up.at("/bundle/id").asText();
        assertThat(ok("bundle", "list", "--repo", "demo", "--output", "json").json().get(0).get("id").asText()).isEqualTo(id);
        CliRun.Result listed = ok("bundle", "list", "files", "--repo", "demo", "--label", "v1", "--output", "json");
        assertThat(listed.out()).endsWith("]\n"); // streamed, and stdout still open for its last newline
        JsonNode files = listed.json();
        assertThat(files).hasSize(41);
        assertThat(files.get(0).get("digest").asText()).startsWith("sha256:");
        assertThat(ok("label", "list", "--repo", "demo", "-o", "json").json()).hasSize(2);
        assertThat(ok("repo", "get", "--repo", "demo", "-o", "json").json().get("labels")).hasSize(2);
        assertThat(ok("fsck", "-o", "json").json().get("problemCount").asInt()).isZero();
        assertThat(ok("gc", "--dry-run", "-o", "json").json().get("dryRun").asBoolean()).isTrue();
        assertThat(ok("version", "-o", "json").json().get("storageFormat").asInt()).isEqualTo(2);
        JsonNode diff = ok("bundle", "diff", "--repo", "demo", "v1", "latest", "-o", "json").json();
        assertThat(diff.get("changes")).isEmpty();
        Path out = tmp.resolve("out");
        assertThat(ok("bundle", "download", "--repo", "demo", "--label", "v1", "--destination", out.toString(), "-o",
                "json").json().get("files").asInt()).isEqualTo(41);
        JsonNode error = ferry.run("repo", "get", "--repo", "nope", "-o", "json").json();
        assertThat(error.at("/error/code").asText()).isEqualTo("NOT_FOUND");
        assertThat(error.at("/error/exitCode").asInt()).isEqualTo(2);
        assertThat(error.at("/error/hint").asText()).contains("ferry repo create");
    }

    @Test
    void everyCommandHasHelp() {
        List<String> failures = new ArrayList<>();
        java.io.PrintWriter sink = new java.io.PrintWriter(java.io.Writer.nullWriter());
        visit(Ferry.commandLine(new CliContext(Map.of(), sink, sink, false)), new ArrayList<>(), failures);
        assertThat(failures).isEmpty();
        assertThat(ok("--help").out()).contains("Usage: ferry").contains("Exit codes");
        assertThat(ok("bundle").out()).contains("upload").contains("download");
    }

    private void visit(CommandLine cmd, List<String> path, List<String> failures) {
        List<String> args = new ArrayList<>(path);
        args.add("--help");
        CliRun.Result r = ferry.run(args.toArray(String[]::new));
        if (r.exit() != 0 || !r.out().contains("Usage: ferry") || cmd.getCommandSpec().usageMessage().description().length == 0
                && !cmd.getCommandName().equals("help")) {
            failures.add(String.join(" ", path) + ": " + r);
        }
        cmd.getSubcommands().forEach((name, sub) -> {
            List<String> next = new ArrayList<>(path);
            next.add(name);
            visit(sub, next, failures);
        });
    }

    @Test
    void versionAndCompletion() {
        assertThat(ok("version").out()).startsWith("ferry ").contains("storage format 2");
        assertThat(ok("--version").out()).startsWith("ferry ");
        assertThat(ok("completion", "bash").out()).contains("complete -F").contains("bundle").contains("--name-filter");
        assertThat(ok("completion", "zsh").out()).contains("bashcompinit");
        String fish = ok("completion", "fish").out();
        assertThat(fish).contains("complete -c ferry -n '__fish_use_subcommand' -a 'bundle'")
                .contains("-l name-filter").contains("-l output -x -a 'text json yaml'");
        fails(2, "completion", "powershell");
    }

    @Test
    void badInputGetsOneLineAndTheDocumentedExitCode() throws IOException {
        ok("repo", "create", "--repo", "demo");
        assertThat(fails(2, "bundle", "upload", "--repo", "demo").err()).contains("--path").contains("ferry bundle upload --help");
        fails(2, "bundle", "upload", "--path", src.toString(), "--repo", "demo", "--message", "m", "--bogus");
        fails(2, "repo", "create", "--repo", "bad name");
        assertThat(fails(6, "repo", "create", "--repo", "demo").err()).contains("already exists");
        fails(2, "repo", "get", "--repo", "nope");
        assertThat(fails(3, "bundle", "upload", "--path", tmp.resolve("missing").toString(), "--repo", "demo",
                "--message", "m").err()).contains("does not exist");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThat(fails(2, "bundle", "upload", "--path", empty.toString(), "--repo", "demo", "--message", "m").err())
                .contains("nothing to upload");
        String id = upload("m");
        fails(2, "bundle", "download", "--repo", "demo", "--destination", tmp.resolve("x").toString());
        fails(2, "bundle", "download", "--repo", "demo", "--bundle", id, "--label", "latest", "--destination",
                tmp.resolve("x").toString());
        fails(2, "bundle", "download", "--repo", "demo", "--label", "nope", "--destination", tmp.resolve("x").toString());
        fails(2, "bundle", "download", "--repo", "demo", "--bundle", "x".repeat(27), "--destination",
                tmp.resolve("x").toString());
        Path full = TestFiles.write(tmp.resolve("full/file"), new byte[1]).getParent();
        assertThat(fails(3, "bundle", "download", "--repo", "demo", "--label", "latest", "--destination",
                full.toString()).err()).contains("not empty").contains("--force");
        ok("bundle", "download", "--repo", "demo", "--label", "latest", "--destination", full.toString(), "--force");
        fails(2, "bundle", "download", "file", "--file", "no/such", "--repo", "demo", "--label", "latest",
                "--destination", tmp.resolve("y").toString());
        assertThat(fails(6, "label", "set", "--repo", "demo", "--label", "latest", "--bundle", id, "--expect", "none")
                .err()).contains("someone moved it first");
        ok("label", "set", "--repo", "demo", "--label", "prod", "--bundle", id, "--expect", "none");
        fails(2, "gc", "--grace", "soon");
        assertThat(fails(2, "bundle", "list").err()).contains("--repo");
        assertThat(fails(2, "bundle", "download", "--repo", "demo", "--label", "latest").err()).contains("--destination");
        fails(6, "repo", "delete", "--repo", "demo");
        ok("repo", "delete", "--repo", "demo", "--force");
    }

    @Test
    void aDamagedStoreFailsFsckAndDownloadWithExitOne() throws Exception {
        ok("repo", "create", "--repo", "demo");
        upload("m");
        try (LocalPackStore packs = new LocalPackStore(tmp.resolve("home/store"))) {
            // the blob of d0/s0/f0.bin (one chunk): found by its digest in the packs' own indexes, since
            // parallel writers put files in packs in no fixed order
            var digest = dev.ferry.core.model.Digest.of(Files.readAllBytes(src.resolve("d0/s0/f0.bin")));
            String pack = null;
            long offset = -1;
            for (var info : packs.list()) {
                for (var b : dev.ferry.core.pack.PackFormat.readIndex(packs, info.id())) {
                    if (b.digest().equals(digest)) {
                        pack = info.id();
                        offset = b.offset();
                    }
                }
            }
            assertThat(pack).as("the pack holding d0/s0/f0.bin").isNotNull();
            LocalBlobStoreSupport.flipByte(packs, pack, offset + 1);
            CliRun.Result fsck = ferry.run("fsck");
            assertThat(fsck.exit()).isEqualTo(1);
            assertThat(fsck.out()).contains("damaged-blob").contains(packs.locate(pack)).contains("bundle-data-lost");
            assertThat(fsck.err()).startsWith("error: the store is damaged");
        }
        CliRun.Result down = fails(1, "bundle", "download", "--repo", "demo", "--label", "latest", "--destination",
                tmp.resolve("out").toString());
        // fsck recorded the damaged copy: the download names the file and how to bring it back
        assertThat(down.err()).contains("'d0/s0/f0.bin' needs blob", "found damaged", "push or upload that file again");
        assertThat(tmp.resolve("out")).as("a failed download leaves no folder behind").doesNotExist();
    }

    @Test
    void configSetsTheAuthorOfBundles() {
        ok("config", "create", "--name", "Ada Lovelace", "--email", "ada@example.com");
        assertThat(ok("config", "get", "user.email").out().trim()).isEqualTo("ada@example.com");
        assertThat(ok("config", "list").out()).contains("user.name=Ada Lovelace");
        fails(2, "config", "set", "no.such.key", "x");
        ok("repo", "create", "--repo", "demo");
        ok("bundle", "upload", "--path", src.toString(), "--repo", "demo", "--message", "m");
        JsonNode bundle = ok("bundle", "list", "--repo", "demo", "-o", "json").json().get(0);
        assertThat(bundle.at("/author/name").asText()).isEqualTo("Ada Lovelace");
        assertThat(bundle.at("/author/email").asText()).isEqualTo("ada@example.com");
        ok("config", "unset", "user.email");
        fails(2, "config", "get", "user.email");
    }

    @Test
    void aBrokenConfigFileIsNamed() throws IOException {
        TestFiles.write(tmp.resolve("home/config.yaml"), "user: [unclosed".getBytes());
        assertThat(fails(2, "repo", "list").err()).contains("config.yaml").contains("not valid YAML");
    }
}
