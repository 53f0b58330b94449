package dev.ferry.core.model;

/** One difference between two bundles, by path. */
public sealed interface DiffEntry {
    String path();

    /** A one-letter status as in {@code git diff --name-status}. */
    String status();

    record Added(FileEntry file) implements DiffEntry {
        public String path() {
            return file.path();
        }

        public String status() {
            return "A";
        }
    }

    record Removed(FileEntry file) implements DiffEntry {
        public String path() {
            return file.path();
        }

        public String status() {
            return "D";
        }
    }

    record Modified(FileEntry before, FileEntry after) implements DiffEntry {
        public String path() {
            return after.path();
        }

        public String status() {
            return "M";
        }
    }
}
