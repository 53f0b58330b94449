package dev.ferry.core.api;

import dev.ferry.core.model.BundleRef;
import java.nio.file.Path;

/** {@code bundle download}: a bundle into a folder, optionally only paths matching a regex. */
public record DownloadRequest(String repo, BundleRef bundle, Path destination, String nameFilter, boolean force) {}
