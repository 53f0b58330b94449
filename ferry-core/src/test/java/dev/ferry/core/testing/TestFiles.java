package dev.ferry.core.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Deterministic test data: random bytes from a seed, trees of files, tree comparison. */
public final class TestFiles {
    private TestFiles() {}

    public static byte[] randomBytes(long seed, int length) {
        byte[] b = new byte[length];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < length; i += 8) {
            long v = r.nextLong();
            for (int j = 0; j < 8 && i + j < length; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
        return b;
    }

    public static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    /** Streams {@code length} random bytes to a file without holding them in memory. */
    public static Path writeRandom(Path file, long seed, long length) throws IOException {
        Files.createDirectories(file.getParent());
        SplittableRandom r = new SplittableRandom(seed);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            long left = length;
            while (left > 0) {
                for (int i = 0; i < block.length; i += 8) {
                    long v = r.nextLong();
                    for (int j = 0; j < 8; j++) block[i + j] = (byte) (v >>> (8 * j));
                }
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                left -= n;
            }
        }
        return file;
    }

    /** A tree of {@code files} small files over a few directories, with varied sizes. */
    public static Path tree(Path root, int files, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < files; i++) {
            Path f = root.resolve("d" + (i % 7)).resolve("s" + (i % 3)).resolve("f" + i + ".bin");
            write(f, randomBytes(seed * 1_000_003 + i, r.nextInt(0, 5000)));
        }
        return root;
    }

    /** Asserts two trees hold the same relative paths, bytes and permission bits. */
    public static void assertSameTree(Path expected, Path actual) throws IOException {
        try (Stream<Path> a = Files.walk(expected); Stream<Path> b = Files.walk(actual)) {
            String[] left = a.filter(Files::isRegularFile).map(p -> expected.relativize(p).toString()).sorted().toArray(String[]::new);
            String[] right = b.filter(Files::isRegularFile).map(p -> actual.relativize(p).toString()).sorted().toArray(String[]::new);
            if (!Arrays.equals(left, right)) {
                throw new AssertionError("file lists differ:\n expected " + Arrays.toString(left) + "\n actual   "
                        + Arrays.toString(right));
            }
            for (String rel : left) {
                Path x = expected.resolve(rel);
                Path y = actual.resolve(rel);
                if (Files.mismatch(x, y) != -1) {
                    throw new AssertionError("content differs: " + rel);
                }
                if (!Files.getPosixFilePermissions(x).equals(Files.getPosixFilePermissions(y))) {
                    throw new AssertionError("mode differs: " + rel + " " + Files.getPosixFilePermissions(x) + " vs "
                            + Files.getPosixFilePermissions(y));
                }
            }
        }
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
