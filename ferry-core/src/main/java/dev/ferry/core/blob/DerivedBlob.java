package dev.ferry.core.blob;

import dev.ferry.core.model.Digest;
import java.util.Optional;

/**
 * What was made of a stored content ({@code source}, a file's digest) as {@code kind}: the digest of
 * the made blob, which may be the source itself when it serves as it is, or empty when nothing can be
 * made of that content (so nobody tries again). The made blob is durable before this is recorded.
 */
public record DerivedBlob(Digest source, String kind, Optional<Digest> derived) {}
