package dev.ferry.core.model;

/** One difference between two bundles, by path. */
@com.fasterxml.jackson.annotation.JsonTypeInfo(use = com.fasterxml.jackson.annotation.JsonTypeInfo.Id.NAME, property = "change")
@com.fasterxml.jackson.annotation.JsonSubTypes({
    @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = DiffEntry.Added.class, name = "added"),
    @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = DiffEntry.Removed.class, name = "removed"),
    @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = DiffEntry.Modified.class, name = "modified")
})
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
