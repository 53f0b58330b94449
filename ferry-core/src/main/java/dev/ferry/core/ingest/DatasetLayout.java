package dev.ferry.core.ingest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a config's files are: the dataset folder (the root every path is inside), what a push stores
 * (that folder, or a one-file dataset's file), and the records file and sidecar folders relative to
 * the root. {@code notes} say how config paths were found (an in-cluster path looked up inside the
 * folder, the root taken from the paths, ...).
 */
public record DatasetLayout(Path root, Path upload, String records, Map<String, String> sidecars, List<String> notes) {
    public DatasetLayout {
        sidecars = Map.copyOf(sidecars);
        notes = List.copyOf(notes);
    }

    /** Whether the dataset is one records file, stored on its own. */
    public boolean singleFile() {
        return !upload.equals(root);
    }
}
