package dev.ferry.core.catalog;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.ferry.core.model.Author;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.Ingestion;
import dev.ferry.core.model.LabelMove;
import java.time.Instant;
import java.util.List;

/**
 * One committed change of the catalog, as the catalog journal keeps it in the store
 * (docs/storage-format.md, "Catalog journal"): replaying every record in order rebuilds repos,
 * bundles, labels with their history, and dataset versions. Runs and the blob index are not
 * journaled: runs are history, and the blob index is rebuilt from the packs' own indexes.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = CatalogRecord.RepoCreated.class, name = "repo-created"),
    @JsonSubTypes.Type(value = CatalogRecord.RepoDeleted.class, name = "repo-deleted"),
    @JsonSubTypes.Type(value = CatalogRecord.BundleCommitted.class, name = "bundle-committed"),
    @JsonSubTypes.Type(value = CatalogRecord.LabelMoved.class, name = "label-moved"),
    @JsonSubTypes.Type(value = CatalogRecord.IngestionRecorded.class, name = "ingestion-recorded")
})
public sealed interface CatalogRecord {
    /** The journal format; a reader refuses records of a newer one. */
    int FORMAT = 1;

    record RepoCreated(String name, String description, Instant createdAt, Author author) implements CatalogRecord {}

    record RepoDeleted(String name, Instant at) implements CatalogRecord {}

    /** A new bundle with, for a dataset push, its rows table, and the label moves of its commit. */
    record BundleCommitted(Bundle bundle, Ingestion ingestion, List<LabelMove> moves) implements CatalogRecord {
        public BundleCommitted {
            moves = List.copyOf(moves);
        }
    }

    record LabelMoved(LabelMove move) implements CatalogRecord {}

    record IngestionRecorded(Ingestion ingestion) implements CatalogRecord {}
}
