package dev.ferry.core.transfer;

import dev.ferry.core.blob.BlobStore;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.ManifestPaths;
import dev.ferry.core.manifest.ManifestSummary;
import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The server's side of a client's upload: before a bundle may name a manifest a client sent, the
 * manifest and every chunk it lists must be in this store. The client's counters are kept for the
 * report; the totals are the manifest's own, not what the client claimed.
 */
public final class StagedUpload {
    private static final int BATCH = 2048;

    private StagedUpload() {}

    public static UploadOutcome verify(BlobStore store, UploadOutcome staged, TransferListener listener) {
        if (staged == null || staged.manifest() == null || staged.manifest().root() == null) {
            throw FerryException.invalid("the run's staged upload names no manifest", "upload the folder again");
        }
        Digest root = staged.manifest().root();
        // a manifest a committed bundle names was checked whole at that commit, and while no blob is
        // recorded damaged its blobs are all still here (gc keeps what bundles name): an unchanged
        // folder's re-upload need not look up each of its blobs again
        Manifest manifest = store.containsManifest(root) ? Manifest.open(store, root) : checkedManifest(store, root, listener);
        return new UploadOutcome(new ManifestSummary(root, manifest.fileCount(), manifest.totalBytes()),
                staged.newBytes(), staged.newBlobs(), staged.packsWritten(), staged.filesRead(), staged.filesFromCache(),
                staged.skipped() == null ? List.of() : staged.skipped());
    }

    /** The manifest {@code root}, once it and every blob it names are found stored; REJECTED otherwise. */
    private static Manifest checkedManifest(BlobStore store, Digest root, TransferListener listener) {
        Manifest manifest;
        try {
            manifest = Manifest.open(store, root);
        } catch (FerryException e) {
            if (e.code() != ErrorCode.DATA_CORRUPT) throw e;
            throw incomplete("its manifest " + root + " is not here (" + e.getMessage() + ")");
        }
        listener.foundAll(manifest.fileCount(), manifest.totalBytes());
        Set<Digest> batch = new LinkedHashSet<>(manifest.metadataDigests());
        List<FileEntry> files = new ArrayList<>();
        java.util.Iterator<FileEntry> entries = manifest.iterator();
        while (true) {
            FileEntry file;
            try {
                if (!entries.hasNext()) {
                    break;
                }
                file = entries.next();
            } catch (FerryException e) {
                if (e.code() != ErrorCode.DATA_CORRUPT) throw e;
                throw incomplete("a page of its manifest is not here (" + e.getMessage() + ")");
            }
            String unsafe = ManifestPaths.problem(file.path());
            if (unsafe != null) {
                // a bundle must never name a path a download would have to refuse
                throw FerryException.invalid("the uploaded manifest names an unsafe path '" + file.path().replace("\0", "\\0")
                        + "': " + unsafe, "upload from a Ferry client; paths must be relative, without '..', '.' or NUL");
            }
            for (ChunkRef chunk : file.chunks()) {
                batch.add(chunk.digest());
            }
            files.add(file);
            if (batch.size() >= BATCH) {
                check(store, batch, files, listener);
            }
        }
        check(store, batch, files, listener);
        return manifest;
    }

    private static void check(BlobStore store, Set<Digest> batch, List<FileEntry> files, TransferListener listener) {
        if (batch.isEmpty()) {
            return;
        }
        Set<Digest> present = store.present(batch);
        if (present.size() < batch.size()) {
            Digest first = batch.stream().filter(d -> !present.contains(d)).findFirst().orElseThrow();
            throw incomplete((batch.size() - present.size()) + " of its blobs are missing here (first: " + first + ")");
        }
        for (FileEntry f : files) {
            listener.progressed(f.size());
            listener.fileDone();
        }
        batch.clear();
        files.clear();
    }

    private static FerryException incomplete(String why) {
        return new FerryException(ErrorCode.REJECTED, "the uploaded data is incomplete: " + why,
                "run the same command again: it sends only what the server is missing");
    }
}
