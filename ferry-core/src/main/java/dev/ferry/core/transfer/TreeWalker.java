package dev.ferry.core.transfer;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.manifest.ManifestWriter;
import dev.ferry.core.manifest.PathOrder;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Walks a folder depth-first, each directory's entries sorted by {@link PathOrder}, so files come out
 * in manifest order (a regular file given instead of a folder is the one file, under its name).
 * Symbolic links are followed only while they stay inside the folder (and do not loop); everything
 * else that is not a regular file is reported as skipped, with the reason.
 */
public final class TreeWalker {
    /** A regular file to upload, with the attributes seen when it was listed. */
    public record FileItem(String path, Path file, long size, long mtimeNanos, String fileKey, int mode) {}

    /** Something that was not uploaded, and why. */
    public record Skipped(String path, String reason) {}

    public interface Visitor {
        void file(FileItem item);

        void skipped(Skipped skipped);
    }

    /**
     * Paths up to this many UTF-16 chars are at most 3x as many UTF-8 bytes, within the 4096-byte
     * limit. A directory entry cannot be empty, '.', '..' or contain '/' or NUL, so shorter paths
     * built by the walk are valid without a check.
     */
    private static final int MAX_CHARS_UNCHECKED = 4096 / 3;

    private final Path root;

    private TreeWalker(Path root) {
        this.root = root;
    }

    /** Resolves and checks the folder; LOCAL_PATH errors say what is wrong with it. */
    public static TreeWalker of(Path folder) {
        Path real;
        try {
            real = folder.toRealPath();
        } catch (NoSuchFileException e) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "path does not exist: " + folder,
                    "check the --path argument");
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "cannot resolve " + folder + ": " + e.getMessage(),
                    "check the --path argument and its permissions", e);
        }
        if (Files.isRegularFile(real)) {
            return new TreeWalker(real); // one file on its own (a one-file dataset): stored under its name
        }
        if (!Files.isDirectory(real)) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "not a directory: " + folder,
                    "pass the folder that holds the file(s)");
        }
        if (!Files.isReadable(real) || !Files.isExecutable(real)) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "cannot read directory " + folder + ": permission denied",
                    "check its permissions (ls -ld " + folder + ")");
        }
        return new TreeWalker(real);
    }

    public Path root() {
        return root;
    }

    public void walk(Visitor visitor) {
        if (!Files.isDirectory(root)) {
            PosixFileAttributes attrs = attributes(root, root.getFileName().toString());
            if (attrs != null) {
                visitor.file(item(root.getFileName().toString(), root, attrs));
            }
            return;
        }
        Deque<Path> ancestors = new ArrayDeque<>();
        ancestors.push(root);
        walkDirectory(root, "", ancestors, visitor);
    }

    private void walkDirectory(Path dir, String prefix, Deque<Path> ancestors, Visitor visitor) {
        for (Child entry : sortedChildren(dir, prefix)) {
            Path child = entry.path();
            String name = entry.name();
            String path = prefix.isEmpty() ? name : prefix + "/" + name;
            if (name.indexOf('\uFFFD') >= 0) {
                throw FerryException.invalid("file name is not valid UTF-8: '" + path + "'",
                        "rename it to UTF-8 (e.g. convmv -f latin1 -t utf8 -r --notest <folder>) and retry");
            }
            if (path.length() > MAX_CHARS_UNCHECKED) {
                ManifestWriter.checkPath(path); // only long paths can break the byte limit
            }
            PosixFileAttributes attrs = attributes(child, path, LinkOption.NOFOLLOW_LINKS);
            if (attrs == null) {
                continue; // vanished between listing and stat: it is simply not part of this upload
            }
            if (attrs.isSymbolicLink()) {
                followLink(child, path, ancestors, visitor);
            } else if (attrs.isDirectory()) {
                ancestors.push(child);
                walkDirectory(child, path, ancestors, visitor);
                ancestors.pop();
            } else if (attrs.isRegularFile()) {
                visitor.file(item(path, child, attrs));
            } else {
                visitor.skipped(new Skipped(path, "not a regular file (device, socket or pipe)"));
            }
        }
    }

    private void followLink(Path link, String path, Deque<Path> ancestors, Visitor visitor) {
        Path target;
        try {
            target = link.toRealPath();
        } catch (IOException e) {
            visitor.skipped(new Skipped(path, "broken symbolic link"));
            return;
        }
        if (!target.startsWith(root)) {
            visitor.skipped(new Skipped(path, "symbolic link leaves the folder (-> " + target + ")"));
            return;
        }
        PosixFileAttributes attrs = attributes(target, path);
        if (attrs == null) {
            visitor.skipped(new Skipped(path, "broken symbolic link"));
        } else if (attrs.isDirectory()) {
            if (ancestors.contains(target)) {
                visitor.skipped(new Skipped(path, "symbolic link loops back to a parent directory"));
                return;
            }
            ancestors.push(target);
            walkDirectory(target, path, ancestors, visitor);
            ancestors.pop();
        } else if (attrs.isRegularFile()) {
            visitor.file(item(path, target, attrs));
        } else {
            visitor.skipped(new Skipped(path, "symbolic link to something that is not a regular file"));
        }
    }

    private static FileItem item(String path, Path file, PosixFileAttributes a) {
        return new FileItem(path, file, a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                String.valueOf(a.fileKey()), Modes.toBits(a.permissions()));
    }

    /** A directory entry with its name decoded once (sorting would otherwise decode it n log n times). */
    private record Child(String name, Path path) {}

    private List<Child> sortedChildren(Path dir, String prefix) {
        List<Child> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                children.add(new Child(p.getFileName().toString(), p));
            }
        } catch (AccessDeniedException e) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "cannot read directory '" + display(prefix)
                    + "': permission denied", "fix its permissions or move it out of the folder");
        } catch (NoSuchFileException e) {
            throw new FerryException(ErrorCode.SOURCE_CHANGED, "directory '" + display(prefix)
                    + "' vanished during the upload; nothing was committed", "run the command again when the folder is stable");
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "cannot list directory '" + display(prefix) + "': "
                    + e.getMessage(), null, e);
        }
        children.sort((a, b) -> PathOrder.compare(a.name(), b.name()));
        return children;
    }

    private static String display(String prefix) {
        return prefix.isEmpty() ? "." : prefix;
    }

    private static PosixFileAttributes attributes(Path file, String path, LinkOption... options) {
        try {
            return Files.readAttributes(file, PosixFileAttributes.class, options);
        } catch (NoSuchFileException e) {
            return null;
        } catch (FileSystemException e) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "cannot read '" + path + "': "
                    + (e.getReason() == null ? e.getMessage() : e.getReason()), "fix or remove that entry and retry", e);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.LOCAL_PATH, "cannot read '" + path + "': " + e.getMessage(), null, e);
        }
    }
}
