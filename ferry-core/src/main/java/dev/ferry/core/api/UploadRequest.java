package dev.ferry.core.api;

import java.nio.file.Path;

/** {@code bundle upload}: which folder, into which repo, with what message, and an optional label. */
public record UploadRequest(Path path, String repo, String message, String label) {}
