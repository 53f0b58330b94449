package dev.ferry.core.maint;

import dev.ferry.core.catalog.Catalog;
import dev.ferry.core.catalog.CatalogRecord;
import dev.ferry.core.catalog.StoreJournal;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.Ingestion;
import dev.ferry.core.model.Label;
import dev.ferry.core.model.LabelMove;
import dev.ferry.core.model.Repo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether the catalog journal in the store would rebuild what the catalog holds: every repo, bundle,
 * dataset version and label target of the catalog must follow from replaying the journal (entries
 * deleted or lost by hand would otherwise be found only when the catalog is lost too). With repair,
 * what is missing is journaled from the catalog.
 */
public final class JournalCheck {
    /** Where the findings go: a kind (journal-incomplete, damaged-journal), what it is about, the details. */
    public interface Problems {
        Problems IGNORE = (kind, subject, detail) -> {};

        void add(String kind, String subject, String detail);
    }

    private final Catalog catalog;
    private final StoreJournal journal;

    public JournalCheck(Catalog catalog, StoreJournal journal) {
        this.catalog = catalog;
        this.journal = journal;
    }

    /**
     * Reports what a rebuild would lose; with {@code repair} journals it (which is also how a catalog
     * from before the journal gets one: everything it holds, label history in the order it happened).
     */
    public void run(boolean repair, Problems problems) {
        List<CatalogRecord> records;
        try {
            records = journal.readAll();
        } catch (FerryException e) {
            problems.add("damaged-journal", "catalog journal", e.getMessage());
            return;
        }
        // what replaying the journal gives: the repos, bundles, versions and label targets it would restore
        Set<String> repos = new HashSet<>();
        Set<String> bundles = new HashSet<>();
        Set<String> versions = new HashSet<>();
        Map<String, String> labels = new HashMap<>();
        for (CatalogRecord r : records) {
            switch (r) {
                case CatalogRecord.RepoCreated c -> repos.add(c.name());
                case CatalogRecord.RepoDeleted d -> {
                    repos.remove(d.name());
                    String prefix = d.name() + "/";
                    bundles.removeIf(b -> b.startsWith(prefix));
                    versions.removeIf(v -> v.startsWith(prefix));
                    labels.keySet().removeIf(l -> l.startsWith(prefix));
                }
                case CatalogRecord.BundleCommitted b -> {
                    bundles.add(b.bundle().repo() + "/" + b.bundle().id());
                    if (b.ingestion() != null) versions.add(b.bundle().repo() + "/" + b.bundle().id());
                    b.moves().forEach(m -> labels.put(m.repo() + "/" + m.label(), m.toBundle()));
                }
                case CatalogRecord.LabelMoved l -> labels.put(l.move().repo() + "/" + l.move().label(), l.move().toBundle());
                case CatalogRecord.IngestionRecorded i -> versions.add(i.ingestion().repo() + "/" + i.ingestion().bundleId());
            }
        }
        for (Repo repo : catalog.listRepos()) {
            if (!repos.contains(repo.name())) {
                problems.add("journal-incomplete", "repo " + repo.name(), "not in the catalog journal: a rebuild would lose it"
                        + (repair ? " (journaled now)" : "; 'ferry fsck --repair' journals it"));
                if (repair) {
                    journal.append(new CatalogRecord.RepoCreated(repo.name(), repo.description(), repo.createdAt(),
                            repo.createdBy()));
                }
            }
            for (Bundle b : catalog.listBundles(repo.name())) {
                String key = repo.name() + "/" + b.id();
                Ingestion version = catalog.findIngestion(repo.name(), b.id()).orElse(null);
                if (!bundles.contains(key)) {
                    problems.add("journal-incomplete", "repo " + repo.name() + " bundle " + b.id(), "not in the catalog"
                            + " journal: a rebuild would lose it" + (repair ? " (journaled now)" : "; 'ferry fsck --repair' journals it"));
                    if (repair) {
                        journal.append(new CatalogRecord.BundleCommitted(b, version, List.of()));
                    }
                } else if (version != null && !versions.contains(key)) {
                    problems.add("journal-incomplete", "table " + repo.name() + " version " + b.id(), "its rows are not in"
                            + " the catalog journal" + (repair ? " (journaled now)" : "; 'ferry fsck --repair' journals them"));
                    if (repair) {
                        journal.append(new CatalogRecord.IngestionRecorded(version));
                    }
                }
            }
            Set<String> unseen = new HashSet<>();
            for (Label label : catalog.listLabels(repo.name())) {
                String journaled = labels.get(repo.name() + "/" + label.name());
                if (!label.bundleId().equals(journaled)) {
                    problems.add("journal-incomplete", "repo " + repo.name() + " label " + label.name(), "points at "
                            + label.bundleId() + ", the catalog journal at " + (journaled == null ? "nothing" : journaled)
                            + (repair ? " (journaled now)" : "; 'ferry fsck --repair' journals it"));
                    if (journaled == null) {
                        unseen.add(label.name());
                    } else if (repair) {
                        journal.append(new CatalogRecord.LabelMoved(new LabelMove(repo.name(), label.name(), journaled,
                                label.bundleId(), label.updatedAt(), label.updatedBy())));
                    }
                }
            }
            if (repair && !unseen.isEmpty()) {
                // labels the journal never saw: their whole history, in the order it happened
                catalog.labelHistory(repo.name(), null).stream().filter(m -> unseen.contains(m.label()))
                        .forEach(m -> journal.append(new CatalogRecord.LabelMoved(m)));
            }
        }
    }
}
