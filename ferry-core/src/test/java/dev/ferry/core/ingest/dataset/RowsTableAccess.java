package dev.ferry.core.ingest.dataset;

/** What tests of other packages need to know of a RowsTable. */
public final class RowsTableAccess {
    private RowsTableAccess() {}

    /** How many rows a table keeps on the heap before it spills. */
    public static int inMemory() {
        return RowsTable.IN_MEMORY;
    }
}
