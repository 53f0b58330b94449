package dev.ferry.core.pack;

import dev.ferry.core.model.Digest;

/** Where a blob's bytes are: a range of a pack. */
public record BlobLocation(Digest digest, String packId, long offset, int length) {}
