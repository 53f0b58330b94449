package dev.ferry.core.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What the file system says of a file without reading it: size, modification and change times, and
 * its identity (device and inode). The same stamp before a read and after a later step means the
 * bytes are the ones read — the trust the upload's stat cache already places in them (a change time
 * cannot be set back by a program, unlike the modification time).
 */
public record FileStamp(long size, long modifiedNanos, Object changeTime, Object fileKey) {
    /** The file's stamp, or null when it cannot be taken (then nothing is trusted by it). */
    public static FileStamp of(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Object ctime;
            try {
                ctime = Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
            } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
                ctime = null;
            }
            return new FileStamp(a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), ctime,
                    a.fileKey());
        } catch (IOException e) {
            return null;
        }
    }
}
