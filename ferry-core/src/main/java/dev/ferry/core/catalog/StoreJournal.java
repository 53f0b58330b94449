package dev.ferry.core.catalog;

import dev.ferry.core.error.DiskFull;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Ids;
import dev.ferry.core.model.Json;
import dev.ferry.core.pack.PackStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalog journal kept in the store beside the packs: one immutable entry per committed change,
 * named by a time-sortable id (27 base62 characters) so that listing the names gives the order they
 * were written in. Each entry is {@code {"format":1,"record":{"kind":...}}}.
 */
public final class StoreJournal implements CatalogJournal {
    private final PackStore store;
    private String last;

    public StoreJournal(PackStore store) {
        this.store = store;
    }

    /** An entry as stored: the format it was written in, and the change. */
    record Entry(int format, CatalogRecord record) {}

    @Override
    public void append(CatalogRecord record) {
        byte[] content = Json.write(new Entry(CatalogRecord.FORMAT, record)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String name;
        synchronized (this) {
            // within this process, entries sort in the order they were appended even in one millisecond
            name = Ids.after(last, Ids.newId());
            last = name;
        }
        try {
            store.writeJournal(name, content);
        } catch (IOException e) {
            if (DiskFull.is(e)) {
                throw new FerryException(ErrorCode.STORAGE_FAILED, "disk full: cannot write the catalog journal ("
                        + e.getMessage() + "); nothing was committed", "free space under the store and try again", e);
            }
            throw new FerryException(ErrorCode.STORAGE_FAILED, "cannot write the catalog journal: " + e.getMessage()
                    + "; nothing was committed", "check the store: its disk and permissions, or its bucket and credentials", e);
        }
    }

    /** Whether there is any entry (cheaper than {@link #size}: a store need not list them all). */
    public boolean isEmpty() {
        try {
            return !store.hasJournal();
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** How many entries there are. */
    public int size() {
        try {
            return store.listJournal().size();
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** Every record, in the order written; refuses an entry it cannot read rather than skip it. */
    public List<CatalogRecord> readAll() {
        List<CatalogRecord> records = new ArrayList<>();
        try {
            for (String name : store.listJournal()) {
                String text = new String(store.readJournal(name), java.nio.charset.StandardCharsets.UTF_8);
                Entry entry;
                try {
                    entry = Json.MAPPER.readValue(text, Entry.class);
                } catch (IOException | RuntimeException e) {
                    throw new FerryException(ErrorCode.DATA_CORRUPT, "catalog journal entry " + name
                            + " is unreadable: " + e.getMessage(), "restore that file from a backup, or move it aside to"
                            + " rebuild without it (the change it records is then lost)");
                }
                if (entry.format() > CatalogRecord.FORMAT || entry.record() == null) {
                    throw new FerryException(ErrorCode.DATA_CORRUPT, "catalog journal entry " + name
                            + " is of format " + entry.format() + ", newer than this Ferry reads (" + CatalogRecord.FORMAT
                            + ")", "rebuild with a newer Ferry");
                }
                records.add(entry.record());
            }
        } catch (IOException e) {
            throw unreadable(e);
        }
        return records;
    }

    private static FerryException unreadable(IOException e) {
        return new FerryException(ErrorCode.STORAGE_FAILED, "cannot read the catalog journal: " + e.getMessage(),
                "check the store: its disk and permissions, or its bucket and credentials", e);
    }
}
