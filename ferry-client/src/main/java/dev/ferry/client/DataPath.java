package dev.ferry.client;

import static dev.ferry.client.HttpFerry.absolute;
import static dev.ferry.client.HttpFerry.bundlePath;
import static dev.ferry.client.HttpTransport.seg;
import static dev.ferry.client.HttpTransport.type;

import dev.ferry.core.api.DownloadRequest;
import dev.ferry.core.api.Wire;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.ingest.ConfigDocument;
import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.BundleRef;
import dev.ferry.core.model.Repo;
import dev.ferry.core.run.RunSpec;
import dev.ferry.core.transfer.DownloadOutcome;
import dev.ferry.core.transfer.Downloader;
import dev.ferry.core.transfer.NameFilter;
import dev.ferry.core.transfer.TransferListener;
import dev.ferry.core.transfer.UpdateOutcome;
import dev.ferry.core.transfer.UploadOutcome;
import dev.ferry.core.transfer.Updater;
import dev.ferry.core.transfer.Uploader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a client's folders reach its server and bundles come back: the local server reads and writes
 * this machine's paths itself ({@link ServerPaths}); to a remote server the data travels
 * ({@link Travelling}): uploads send the blobs it lacks, downloads read blobs and write them here.
 */
sealed interface DataPath {
    DownloadOutcome download(DownloadRequest request, TransferListener listener);

    DownloadOutcome downloadFile(String repo, BundleRef ref, String path, Path destination, boolean force);

    UpdateOutcome update(String repo, BundleRef ref, Path destination, TransferListener listener);

    /** Makes a run's folder available to the server before the run is submitted. */
    RunSpec stage(RunSpec spec, TransferListener listener);

    /** The local server: paths in requests are made absolute, and it reads and writes them. */
    record ServerPaths(HttpTransport http) implements DataPath {
        @Override
        public DownloadOutcome download(DownloadRequest request, TransferListener listener) {
            return http.call("POST", bundlePath(request.repo(), request.bundle()) + "/download",
                    new Wire.Download(absolute(request.destination()), request.nameFilter(), request.force()),
                    type(DownloadOutcome.class));
        }

        @Override
        public DownloadOutcome downloadFile(String repo, BundleRef ref, String path, Path destination, boolean force) {
            return http.call("POST", bundlePath(repo, ref) + "/download-file",
                    new Wire.DownloadFile(path, absolute(destination), force), type(DownloadOutcome.class));
        }

        @Override
        public UpdateOutcome update(String repo, BundleRef ref, Path destination, TransferListener listener) {
            return http.call("POST", bundlePath(repo, ref) + "/update", new Wire.Update(absolute(destination)),
                    type(UpdateOutcome.class));
        }

        @Override
        public RunSpec stage(RunSpec spec, TransferListener listener) {
            return spec; // the server reads the folder itself
        }
    }

    /**
     * A remote server: uploads run the same {@code Uploader} as the server would, over the server's
     * store as seen from here, with their stat caches in {@code uploadCache}; downloads read its blobs
     * and verify each one here before it is written.
     */
    record Travelling(HttpTransport http, RemoteBlobStore store, Path uploadCache) implements DataPath {
        /** Blob reads in flight during a download (each one a request). */
        private static final int PARALLEL_READS = 8;

        @Override
        public DownloadOutcome download(DownloadRequest request, TransferListener listener) {
            return new Downloader(store, PARALLEL_READS).download(manifest(request.repo(), request.bundle()),
                    request.destination(), NameFilter.of(request.nameFilter()), request.force(), listener);
        }

        @Override
        public DownloadOutcome downloadFile(String repo, BundleRef ref, String path, Path destination, boolean force) {
            return new Downloader(store, PARALLEL_READS).downloadFile(manifest(repo, ref), path, destination, force);
        }

        @Override
        public UpdateOutcome update(String repo, BundleRef ref, Path destination, TransferListener listener) {
            return new Updater(store).update(manifest(repo, ref), destination, listener);
        }

        @Override
        public RunSpec stage(RunSpec spec, TransferListener listener) {
            if (spec.staged() != null) {
                return spec;
            }
            checkAccessBeforeSending(spec);
            UploadOutcome outcome = new Uploader(store, uploadCache, Runtime.getRuntime().availableProcessors())
                    .upload(Path.of(spec.path()), listener);
            return switch (spec) {
                case RunSpec.Upload u -> u.withStaged(outcome);
                case RunSpec.Push p -> p.withStaged(outcome, p.configFile() == null ? null : readConfig(Path.of(p.configFile())));
            };
        }

        /** A bundle's manifest, read from the remote server's blobs. */
        private Manifest manifest(String repo, BundleRef ref) {
            return Manifest.open(store, http.<Bundle>call("GET", bundlePath(repo, ref), null, type(Bundle.class)).manifest());
        }

        /**
         * Asks about the table first, so that a token that may not use it (403) or a repo that does not
         * exist (an upload's 404) is refused before any data travels, not after the whole upload.
         */
        private void checkAccessBeforeSending(RunSpec spec) {
            String table = switch (spec) {
                case RunSpec.Upload u -> u.repo();
                case RunSpec.Push p -> p.flags() != null && p.flags().table() != null ? p.flags().table()
                        : configTable(p.configFile());
            };
            if (table == null) {
                return; // the server says what is wrong once the run starts
            }
            try {
                http.call("GET", "/repos/" + seg(table), null, type(Repo.class));
            } catch (FerryException e) {
                if (!(e.code() == ErrorCode.NOT_FOUND && spec instanceof RunSpec.Push)) {
                    throw e; // a push makes its table; an upload needs its repo
                }
            }
        }

        private static String configTable(String configFile) {
            try {
                return configFile == null ? null : ConfigDocument.read(Path.of(configFile)).path("table").asText(null);
            } catch (RuntimeException unreadable) {
                return null;
            }
        }

        private static String readConfig(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new FerryException(ErrorCode.LOCAL_PATH, "cannot read the config file " + file + ": " + e.getMessage(),
                        "check the --config path");
            }
        }
    }
}
