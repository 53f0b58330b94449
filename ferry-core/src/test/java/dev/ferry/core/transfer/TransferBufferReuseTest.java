package dev.ferry.core.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.api.DownloadRequest;
import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.api.UploadRequest;
import dev.ferry.core.chunk.GearChunker;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.model.BundleRef;
import dev.ferry.core.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long-lived server runs transfer after transfer: their direct buffers must come from the spares of
 * the ones before, or its native memory grows with every transfer until a full GC (see
 * {@link DirectBuffers}). Here, through the real uploader and downloader, 35 uploads and downloads
 * after the first few allocate at most a buffer per transfer thread: how many of a download's writers
 * meet a chunk too large for an upload's buffer varies from run to run, so a later transfer may still
 * need a large buffer the first ones did not, but never one per transfer.
 */
class TransferBufferReuseTest {
    @TempDir
    Path tmp;

    @Test
    void manyUploadsAndDownloadsReuseTheSameDirectBuffers() throws IOException {
        Path src = tmp.resolve("src");
        TestFiles.tree(src, 40, 7);
        TestFiles.writeRandom(src.resolve("big/large.bin"), 8, 2 * GearChunker.MAX_SIZE + 999);
        try (LocalFerry ferry = LocalFerry.open(new FerryHome(tmp.resolve("home")))) {
            ferry.createRepo("r", "buffers");
            long afterWarmUp = 0;
            for (int cycle = 0; cycle < 40; cycle++) {
                // new content in a few small files each time, so that the readers read (the stat cache misses)
                for (int f = 0; f < 5; f++) {
                    TestFiles.write(src.resolve("changed/f" + f + ".bin"), TestFiles.randomBytes(1000L * cycle + f, 20_000 + f));
                }
                ferry.upload(new UploadRequest(src, "r", "cycle " + cycle, "latest"), TransferListener.NONE);
                Path out = tmp.resolve("out-" + cycle);
                ferry.download(new DownloadRequest("r", BundleRef.label("latest"), out, null, false), TransferListener.NONE);
                if (cycle == 0) {
                    TestFiles.assertSameTree(src, out);
                }
                if (cycle == 4) {
                    afterWarmUp = DirectBuffers.allocated();
                }
            }
            TestFiles.assertSameTree(src, tmp.resolve("out-39"));
            int transferThreads = 2 * Runtime.getRuntime().availableProcessors() + 1; // readers, writers, caller
            assertThat(DirectBuffers.allocated() - afterWarmUp)
                    .as("direct buffers allocated by 35 more uploads and downloads")
                    .isLessThanOrEqualTo(Math.min(transferThreads, DirectBuffers.KEEP));
            assertThat(DirectBuffers.spares()).isBetween(1, DirectBuffers.KEEP);
        }
    }
}
