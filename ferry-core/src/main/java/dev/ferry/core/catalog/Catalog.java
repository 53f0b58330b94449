package dev.ferry.core.catalog;

import dev.ferry.core.model.Author;
import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.Ingestion;
import dev.ferry.core.model.Label;
import dev.ferry.core.model.LabelMove;
import dev.ferry.core.model.Repo;
import dev.ferry.core.pack.BlobLocation;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The metadata seam: repos, bundles, labels (with history and compare-and-set) and the blob index.
 * Implementations must be safe for concurrent use by many threads and, for SQLite, many processes.
 * Every implementation must pass {@code CatalogContract}.
 *
 * <p>Failures the user can act on are {@link dev.ferry.core.error.FerryException}s (unknown repo,
 * duplicate repo, lost compare-and-set); anything else is a bug or an outage.
 */
public interface Catalog extends AutoCloseable {

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
     * Whether any bundle of any repo has this manifest and no blob is recorded as damaged (then every
     * blob the manifest needs is stored: an upload may skip it).
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

    // ---- runs and their event log

    /**
     * Records a new run with its first event and who runs it ({@link dev.ferry.core.run.RunOwner#id()}),
     * in one transaction. CONFLICT when another run already holds the idempotency key (the caller then
     * returns that run).
     */
    void createRun(String id, String idempotencyKey, dev.ferry.core.run.RunSpec spec, String owner,
            dev.ferry.core.run.LoggedEvent first);

    /** The run, folded from its state-moving events. */
    Optional<dev.ferry.core.run.Run> findRun(String id);

    Optional<dev.ferry.core.run.Run> findRunByKey(String idempotencyKey);

    /** The newest {@code limit} runs, oldest first. */
    List<dev.ferry.core.run.Run> listRuns(int limit);

    /** A run not in a terminal state, and who runs it (null for runs recorded before owners were). */
    record UnfinishedRun(dev.ferry.core.run.Run run, String owner) {}

    /** Extends the leases of these runs (their server is alive and runs them) to {@code until}. */
    void renewLeases(Collection<String> runIds, Instant until);

    /** Drops a run's lease (it ended): runs with leases are then only the ones still running. */
    void endLease(String runId);

    /** A run with a lease that ran out before {@code t}: its id, who ran it, and when the lease ran out. */
    record ExpiredLease(String runId, String owner, Instant leaseUntil) {}

    /** The runs whose lease ran out before {@code t} (an index lookup: cheap to ask every heartbeat). */
    List<ExpiredLease> leasesBefore(Instant t);

    /** The runs not in a terminal state (what a starting process may have to settle), oldest first. */
    List<UnfinishedRun> unfinishedRuns();

    /** Appends one event; its sequence number must be the run's next. */
    void appendEvent(dev.ferry.core.run.LoggedEvent event);

    /** A run's events with {@code seq > after}, in order, at most {@code limit}. */
    List<dev.ferry.core.run.LoggedEvent> events(String runId, long after, int limit);

    // ---- labels

    /** Points a label at a bundle of the same repo, if {@code condition} holds; CONFLICT if not. */
    LabelMove setLabel(String repo, String label, String bundleId, LabelCondition condition, Author by, Instant at);

    Optional<Label> findLabel(String repo, String name);

    /** A repo's labels, by name. */
    List<Label> listLabels(String repo);

    /** Moves of one label (or of all labels when {@code label} is null), oldest first. */
    List<LabelMove> labelHistory(String repo, String label);

    // ---- blob index

    /**
     * Records a durable pack and its blobs in one transaction. A blob already indexed elsewhere keeps
     * its location unless {@code relocate} is set (repacking moves blobs on purpose). A blob recorded as
     * damaged is healed: its damage record goes.
     */
    void addPack(PackRecord pack, List<BlobLocation> blobs, boolean relocate);

    boolean hasBlob(Digest digest);

    /** The locations of those digests the index knows; unknown ones are absent from the map. */
    Map<Digest, BlobLocation> locate(Collection<Digest> digests);

    /** The blobs indexed in one pack, by offset. */
    List<BlobLocation> blobsInPack(String packId);

    /** Every indexed blob. */
    void forEachBlob(Consumer<BlobLocation> action);

    /** Every indexed digest, in no particular order (cheaper than {@link #forEachBlob} for a full scan). */
    void forEachDigest(Consumer<Digest> action);

    List<PackRecord> listPacks();

    /**
     * The packs whose recorded creation time is at or after {@code since}, by id. The time is the
     * writer's clock when it sealed the pack, not the commit's: a pack can become visible a little
     * after the time it carries.
     */
    List<PackRecord> packsCreatedSince(Instant since);

    /** Forgets packs and every blob still indexed in them. */
    void removePacks(Collection<String> packIds);

    // ---- damaged blobs

    /**
     * Records that these stored copies cannot be read ({@code reason} says why) and takes them out of
     * the blob index, in one transaction, so that nothing deduplicates against them any more. A copy the
     * index no longer points at (stored again meanwhile) is left alone.
     */
    void markDamaged(Collection<BlobLocation> blobs, String reason, Instant at);

    /** The blobs recorded as damaged and not stored again since, by digest. */
    List<DamagedBlob> damagedBlobs();

    /** Forgets damage records (gc: no bundle needs those blobs any more). */
    void forgetDamaged(Collection<Digest> digests);

    @Override
    void close();
}
