package dev.ferry.core.api;

import dev.ferry.core.catalog.Catalog;
import dev.ferry.core.catalog.CatalogRecord;
import dev.ferry.core.catalog.StoreJournal;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.Ingestion;
import dev.ferry.core.model.LabelMove;
import dev.ferry.core.model.Repo;
import java.util.List;

/**
 * Gives a catalog made before the journal existed (or one whose store lost its journal) a journal of
 * its present state, once: each repo, each bundle with its ingestion, then every recorded label move,
 * so that a later rebuild restores what the catalog holds now.
 */
final class CatalogJournalBackfill {
    private CatalogJournalBackfill() {}

    static void ensure(Catalog catalog, StoreJournal journal) {
        if (journal.size() > 0) {
            return;
        }
        List<Repo> repos = catalog.listRepos();
        for (Repo repo : repos) {
            journal.append(new CatalogRecord.RepoCreated(repo.name(), repo.description(), repo.createdAt(), repo.createdBy()));
            for (Bundle b : catalog.listBundles(repo.name())) {
                Ingestion ingestion = catalog.findIngestion(repo.name(), b.id()).orElse(null);
                journal.append(new CatalogRecord.BundleCommitted(b, ingestion, List.of()));
            }
            for (LabelMove m : catalog.labelHistory(repo.name(), null)) {
                journal.append(new CatalogRecord.LabelMoved(m));
            }
        }
    }
}
