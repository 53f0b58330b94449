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
}
