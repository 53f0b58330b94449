package dev.ferry.core.model;

/** One stored piece of a file's content, in order. */
public record ChunkRef(Digest digest, int length) {}
