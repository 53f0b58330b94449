package dev.ferry.core.blob;

import dev.ferry.core.pack.BlobLocation;
import java.time.Instant;

/**
 * A blob whose stored copy was found damaged or missing: where that copy was, why it cannot be read,
 * and when this was found. It is no longer in the blob index, so the next upload of the same content
 * stores it again (which deletes this record).
 */
public record DamagedBlob(BlobLocation location, String reason, Instant foundAt) {}
