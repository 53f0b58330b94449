package dev.ferry.core.transfer;

import dev.ferry.core.manifest.Manifest;
import dev.ferry.core.manifest.PathOrder;
import dev.ferry.core.model.DiffEntry;
import dev.ferry.core.model.FileEntry;
import java.util.Iterator;
import java.util.function.Consumer;

/** Compares two manifests in one merged pass over their (sorted) entries. */
public final class BundleDiffer {
    private BundleDiffer() {}

    public static void diff(Manifest from, Manifest to, Consumer<DiffEntry> out) {
        if (from.root().equals(to.root())) {
            return;
        }
        diff(from.iterator(), to.iterator(), out);
    }

    static void diff(Iterator<FileEntry> a, Iterator<FileEntry> b, Consumer<DiffEntry> out) {
        FileEntry x = next(a);
        FileEntry y = next(b);
        while (x != null || y != null) {
            int c = x == null ? 1 : y == null ? -1 : PathOrder.compare(x.path(), y.path());
            if (c < 0) {
                out.accept(new DiffEntry.Removed(x));
                x = next(a);
            } else if (c > 0) {
                out.accept(new DiffEntry.Added(y));
                y = next(b);
            } else {
                if (!x.sameContentAndMode(y)) {
                    out.accept(new DiffEntry.Modified(x, y));
                }
                x = next(a);
                y = next(b);
            }
        }
    }

    private static FileEntry next(Iterator<FileEntry> it) {
        return it.hasNext() ? it.next() : null;
    }
}
