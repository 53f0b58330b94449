package dev.ferry.core.catalog;

import dev.ferry.core.model.Author;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.Ingestion;
import dev.ferry.core.model.Label;
import dev.ferry.core.model.LabelMove;
import dev.ferry.core.model.Repo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The metadata seam for what users name: repos (dataset tables), bundles (versions), labels (with
 * history and compare-and-set) and the rows tables of dataset versions. Runs live in
 * {@link dev.ferry.core.run.RunLog}, where blobs are stored in {@link dev.ferry.core.blob.BlobIndex}.
 * Implementations must be safe for concurrent use by many threads and, for SQLite, many processes.
 * Every implementation must pass {@code CatalogContract}.
 *
 * <p>Failures the user can act on are {@link dev.ferry.core.error.FerryException}s (unknown repo,
 * duplicate repo, lost compare-and-set); anything else is a bug or an outage.
 */
public interface Catalog {

    /** Where the catalog lives, for messages (never includes a password). */
    String describe();

    /**
     * Where every committed change of repos, bundles, labels and ingestions is also written, inside its
     * transaction (a change whose record cannot be written is not made). None until set.
     */
    void journalTo(CatalogJournal journal);

    /**
     * Applies one journaled change as it was recorded (ids, parents, times, authors kept), without
     * journaling it again: how {@code ferry catalog rebuild} restores a lost catalog. Replaying a
     * record twice changes nothing more.
     */
    void replay(CatalogRecord record);

    // ---- repos

    /** Creates a repo; CONFLICT if one of that name exists. */
    Repo createRepo(String name, String description, Author author, Instant at);

    Optional<Repo> findRepo(String name);

    /** All repos, by name. */
    List<Repo> listRepos();

    /** Deletes a repo with its bundles and labels; its blobs become garbage for gc. NOT_FOUND if absent. */
    void deleteRepo(String name);

    // ---- bundles

    /**
     * Records a bundle and moves its labels in one transaction. If the repo already has a bundle with
     * the same manifest, no bundle is created: the labels move to the newest such bundle instead
     * (unless the commit is {@code alwaysNew}).
     * The parent is whatever {@code latest} named when the transaction ran. The new bundle's id is
     * the commit's, unless that does not sort after the repo's newest bundle (made in the same
     * millisecond, or on a clock that went back): then it is the id just after that one, so that
     * bundles list in the order they were committed. Use the returned bundle's id. A commit with an
     * ingestion records it for the resulting bundle in the same transaction (replacing one it had).
     */
    CommitResult commit(BundleCommit commit);

    Optional<Bundle> findBundle(String repo, String id);

    /** The newest bundle of a repo with this manifest (what a commit that is not alwaysNew would reuse). */
    Optional<Bundle> findBundleWithManifest(String repo, Digest manifest);

    /**
     * Whether any bundle of any repo has this manifest (then every blob it needs was stored; unless
     * the blob index records damage since, an upload may skip it).
     */
    boolean hasManifest(Digest manifest);

    /** A repo's bundles, oldest first. */
    List<Bundle> listBundles(String repo);

    /** Every bundle of every repo (fsck, gc). */
    void forEachBundle(Consumer<Bundle> action);

    // ---- ingestions (the rows tables of datasets)

    /** Records the rows table of a bundle; replaces an earlier one of the same bundle. */
    void recordIngestion(Ingestion ingestion);

    Optional<Ingestion> findIngestion(String repo, String bundleId);

    /** A repo's ingestions, oldest first. */
    List<Ingestion> listIngestions(String repo);

    /** Every ingestion of every repo (gc, fsck). */
    void forEachIngestion(Consumer<Ingestion> action);

    // ---- labels

    /** Points a label at a bundle of the same repo, if {@code condition} holds; CONFLICT if not. */
    LabelMove setLabel(String repo, String label, String bundleId, LabelCondition condition, Author by, Instant at);

    Optional<Label> findLabel(String repo, String name);

    /** A repo's labels, by name. */
    List<Label> listLabels(String repo);

    /** Moves of one label (or of all labels when {@code label} is null), oldest first. */
    List<LabelMove> labelHistory(String repo, String label);

}
