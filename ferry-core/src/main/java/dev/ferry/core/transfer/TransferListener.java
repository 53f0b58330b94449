package dev.ferry.core.transfer;

/** Progress of an upload or download; called from worker threads, so implementations must be thread-safe. */
public interface TransferListener {
    TransferListener NONE = new TransferListener() {};

    /** The walk found another file to transfer. */
    default void found(long bytes) {}

    /** The work found {@code files} files of {@code bytes} in all at once (a manifest's totals). */
    default void foundAll(long files, long bytes) {
        for (long i = 0; i < files; i++) {
            found(i == 0 ? bytes : 0);
        }
    }

    /** Some bytes of content were processed (read and hashed, or written). */
    default void progressed(long bytes) {}

    /** One more file is done. */
    default void fileDone() {}

    /** Something was left out, and why. */
    default void skipped(String path, String reason) {}
}
