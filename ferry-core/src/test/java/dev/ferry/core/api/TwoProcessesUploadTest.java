package dev.ferry.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.home.FerryHome;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.BundleRef;
import dev.ferry.core.testing.TestFiles;
import dev.ferry.core.transfer.TransferListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two ferry processes upload into the same repo of one FERRY_HOME at the same time. */
class TwoProcessesUploadTest {
    @TempDir
    Path tmp;

    @Test
    void bothUploadsLandAndTheStoreStaysConsistent() throws Exception {
        Path home = tmp.resolve("home");
        Path a = TestFiles.tree(tmp.resolve("a"), 800, 21);
        Path b = TestFiles.tree(tmp.resolve("b"), 800, 22);
        TestFiles.write(a.resolve("shared.bin"), TestFiles.randomBytes(7, 100_000)); // the same blob in both
        TestFiles.write(b.resolve("shared.bin"), TestFiles.randomBytes(7, 100_000));
        try (LocalFerry ferry = LocalFerry.open(new FerryHome(home))) {
            ferry.createRepo("demo", "");
        }
        Process pa = start(home, a, "a");
        Process pb = start(home, b, "b");
        assertThat(pa.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(pb.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(pa.exitValue()).as(Files.readString(tmp.resolve("a.log"))).isZero();
        assertThat(pb.exitValue()).as(Files.readString(tmp.resolve("b.log"))).isZero();
        try (LocalFerry ferry = LocalFerry.open(new FerryHome(home))) {
            List<Bundle> bundles = ferry.listBundles("demo");
            assertThat(bundles).hasSize(2);
            assertThat(bundles.get(1).parent()).isEqualTo(bundles.get(0).id());
            assertThat(ferry.fsck(true, s -> {}).clean()).isTrue();
            for (String label : List.of("a", "b")) {
                Path out = tmp.resolve("out-" + label);
                ferry.download(new DownloadRequest("demo", BundleRef.label(label), out, null, false),
                        TransferListener.NONE);
                TestFiles.assertSameTree(label.equals("a") ? a : b, out);
            }
        }
    }

    private Process start(Path home, Path folder, String label) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SlowUploadMain.class.getName(),
                home.toString(), folder.toString(), "demo", label)
                .redirectErrorStream(true).redirectOutput(tmp.resolve(label + ".log").toFile()).start();
    }
}
