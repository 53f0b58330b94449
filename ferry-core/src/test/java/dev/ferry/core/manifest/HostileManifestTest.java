package dev.ferry.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.api.DownloadRequest;
import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.blob.BlobWriter;
import dev.ferry.core.blob.PackedBlobStore;
import dev.ferry.core.catalog.BundleCommit;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.model.Author;
import dev.ferry.core.model.BundleRef;
import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import dev.ferry.core.model.Ids;
import dev.ferry.core.transfer.TransferListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle whose manifest was not written by Ferry (a damaged or hostile store) and names paths that
 * leave the destination: download and update must refuse it and write nothing anywhere.
 */
class HostileManifestTest {
    @TempDir
    Path tmp;

    @Test
    void pathsThatLeaveTheDestinationAreRefused() throws Exception {
        for (String evil : List.of("../escaped.txt", "/tmp/absolute.txt", "a/../../escaped.txt", "zz/../../escaped.txt")) {
            Path home = tmp.resolve("home-" + Math.abs(evil.hashCode()));
            try (LocalFerry ferry = LocalFerry.open(new FerryHome(home))) {
                ferry.createRepo("demo", "");
                byte[] content = "pwned".getBytes();
                Digest blob = Digest.of(content);
                Digest root;
                try (BlobWriter w = new PackedBlobStore(ferry.store().packs(), ferry.store().index(), ferry.store().catalog()).newWriter()) {
                    w.put(blob, content, 0, content.length);
                    byte[] page = ManifestFormat.encodePage(List.of(
                            new FileEntry("ok.txt", 5, 0644, List.of(new ChunkRef(blob, 5))),
                            new FileEntry(evil, 5, 0644, List.of(new ChunkRef(blob, 5)))));
                    Digest pageDigest = Digest.of(page);
                    w.put(pageDigest, page, 0, page.length);
                    byte[] rootBlob = ManifestFormat.encodeRoot(new ManifestFormat.Root(2, 10,
                            List.of(new ManifestFormat.PageRef(pageDigest, 2, "ok.txt", evil))));
                    root = Digest.of(rootBlob);
                    w.put(root, rootBlob, 0, rootBlob.length);
                    w.flush();
                }
                // a server never commits such a manifest from a client: 400 before any bundle exists
                Digest manifestRoot = root;
                try (var blobs = new PackedBlobStore(ferry.store().packs(), ferry.store().index(), ferry.store().catalog())) {
                    assertThatThrownBy(() -> dev.ferry.core.transfer.StagedUpload.verify(blobs,
                            new dev.ferry.core.transfer.UploadOutcome(new dev.ferry.core.manifest.ManifestSummary(manifestRoot, 2, 10),
                                    0, 0, 0, 0, 0, List.of()), TransferListener.NONE))
                            .isInstanceOf(FerryException.class)
                            .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                            .hasMessageContaining("unsafe path");
                }
                ferry.store().catalog().commit(new BundleCommit(Ids.newId(), "demo", "hostile", new Author("x", ""),
                        Instant.now(), 2, 10, root, List.of("latest")));
                // one that got into the store some other way is flagged by fsck
                assertThat(ferry.fsck(true, s -> {}).problems()).extracting(p -> p.kind()).contains("unsafe-path");

                Path dest = tmp.resolve("dest-" + Math.abs(evil.hashCode())).resolve("inner");
                assertThatThrownBy(() -> ferry.download(new DownloadRequest("demo", BundleRef.label("latest"), dest,
                        null, false), TransferListener.NONE))
                        .isInstanceOf(FerryException.class)
                        .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.DATA_CORRUPT))
                        .hasMessageContaining("unsafe path");
                assertThat(dest.getParent()).as("a refused download leaves not even the folders it made").doesNotExist();
                // update works in place and may have written the safe files before the bad one; never outside
                assertThatThrownBy(() -> ferry.update("demo", BundleRef.label("latest"), dest, TransferListener.NONE))
                        .isInstanceOf(FerryException.class).hasMessageContaining("unsafe path");
                if (Files.exists(dest.getParent())) {
                    try (Stream<Path> written = Files.walk(dest.getParent())) {
                        assertThat(written.filter(Files::isRegularFile).filter(p -> !p.startsWith(dest))).isEmpty();
                    }
                }
                assertThat(Path.of("/tmp/absolute.txt")).doesNotExist();
            }
        }
    }
}
