package dev.ferry.core.error;

import java.io.IOException;

/** Recognizes "no space left" in the various ways the JDK reports ENOSPC and EDQUOT. */
public final class DiskFull {
    private DiskFull() {}

    public static boolean is(IOException e) {
        String message = String.valueOf(e.getMessage());
        String reason = e instanceof java.nio.file.FileSystemException fs ? String.valueOf(fs.getReason()) : "";
        return message.contains("No space left") || message.contains("Disk quota exceeded")
                || reason.contains("No space left") || reason.contains("Disk quota exceeded");
    }

    /**
     * The one error for a write of the store that failed before anything was committed (a pack, the
     * rows table, a scratch copy): STORAGE_FAILED, saying "disk full" when it is.
     */
    public static FerryException storeWriteFailed(String what, IOException e) {
        boolean full = is(e);
        return new FerryException(ErrorCode.STORAGE_FAILED,
                (full ? "disk full while writing " : "cannot write ") + what + ": " + e.getMessage() + "; nothing was committed",
                full ? "free some space (or run 'ferry gc') and run the same command again: what is already stored is skipped"
                        : "check the disk and the permissions of the store, then run the same command again",
                e);
    }
}
