package dev.ferry.core.ingest.dataset;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The files of a dataset folder, listed once, as a push would store them: regular files, and symbolic
 * links that stay inside the folder. A link that leaves it (or is broken) is something a push would
 * not store although the dataset may need it, so the checks refuse the dataset over it instead of
 * committing a partial version.
 */
final class DatasetTree {
    private final Path root;
    private final Set<String> files = new HashSet<>();
    private final List<String> leaving = new ArrayList<>();
    private final List<String> broken = new ArrayList<>();

    private DatasetTree(Path root) {
        this.root = root;
    }

    /** Lists {@code root} (a folder); a folder that cannot be read is a {@link DatasetProblem}. */
    static DatasetTree of(Path root) {
        DatasetTree tree = new DatasetTree(root);
        Path real;
        try {
            real = root.toRealPath();
        } catch (IOException e) {
            throw new DatasetProblem("cannot read the dataset folder " + root + ": " + e.getMessage());
        }
        Deque<Path> ancestors = new ArrayDeque<>();
        ancestors.push(real);
        tree.walk(root, "", real, ancestors);
        return tree;
    }

    private void walk(Path dir, String prefix, Path realRoot, Deque<Path> ancestors) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String path = prefix + entry.getFileName();
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                if (attrs.isSymbolicLink()) {
                    link(entry, path, realRoot, ancestors);
                } else if (attrs.isDirectory()) {
                    walk(entry, path + "/", realRoot, ancestors);
                } else if (attrs.isRegularFile()) {
                    files.add(path);
                }
            }
        } catch (IOException e) {
            throw new DatasetProblem("cannot list " + (prefix.isEmpty() ? root.toString() : prefix) + ": " + e.getMessage());
        }
    }

    private void link(Path link, String path, Path realRoot, Deque<Path> ancestors) throws IOException {
        Path target;
        try {
            target = link.toRealPath();
        } catch (IOException e) {
            broken.add(path);
            return;
        }
        if (!target.startsWith(realRoot)) {
            leaving.add(path + " -> " + target);
        } else if (Files.isDirectory(target)) {
            if (!ancestors.contains(target)) {
                ancestors.push(target);
                walk(link, path + "/", realRoot, ancestors);
                ancestors.pop();
            }
        } else if (Files.isRegularFile(target)) {
            files.add(path);
        }
    }

    /** Whether the folder holds this file (a path relative to it, '/'-separated). */
    boolean has(String path) {
        return files.contains(path);
    }

    /** The files under a folder of the dataset, relative to that folder, sorted. */
    Set<String> under(String folder) {
        String prefix = folder.isEmpty() || folder.equals(".") ? "" : folder + "/";
        Set<String> out = new TreeSet<>();
        for (String f : files) {
            if (f.startsWith(prefix)) {
                out.add(f.substring(prefix.length()));
            }
        }
        return out;
    }

    /** Reports the links a push would not store: those that leave the folder (an error), or lead nowhere (a note). */
    void reportLinks(DatasetReport report) {
        leaving.stream().sorted().forEach(l -> report.offender("symbolic links that leave the dataset folder (a push"
                + " stores nothing outside it: copy the files in, or remove the links)", l));
        broken.stream().sorted().forEach(l -> report.noted("broken symbolic links in the dataset folder (not stored)", l));
    }
}
