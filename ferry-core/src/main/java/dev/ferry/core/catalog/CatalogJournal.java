package dev.ferry.core.catalog;

/**
 * Where a catalog writes each change before its transaction commits: a change whose record cannot be
 * written is not made, so the journal holds every committed change (and, after a crash between the
 * two, possibly one more whose data is all stored).
 */
@FunctionalInterface
public interface CatalogJournal {
    CatalogJournal NONE = record -> {};

    void append(CatalogRecord record);
}
