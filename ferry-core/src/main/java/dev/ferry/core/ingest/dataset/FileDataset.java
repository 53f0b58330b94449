package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.DatasetLayout;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.manifest.ManifestPaths;
import dev.ferry.core.model.Digest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The rules every file-bearing category shares (reference ingest-v1.md §3): a records file with an
 * exact {@code filename} column and a data folder (images, texts, sequences) beside it. Every row's
 * file exists in the folder (the extension is appended to names without one); absolute names and
 * {@code ..} are refused per record, as are names and labels with control characters; the files have
 * the folder's one extension. Several rows may name the same file: each is a record. Files no row
 * names are a note. A category adds what it reads of each record, what it checks of each file, what
 * it checks of a record with its file (its annotation, its mask, its tags), and dataset-wide rules.
 *
 * <p>Each file is inspected once however many rows name it, on every core; records are then decided
 * in order, so ids and messages do not depend on timing.
 */
abstract sealed class FileDataset implements DatasetCategory permits ImageDataset, TextDataset {
    private final Category category;

    FileDataset(Category category) {
        this.category = category;
    }

    @Override
    public final Category category() {
        return category;
    }

    // ------------------------------------------------------------------ what a category adds

    /** Columns this category adds to the rows, after the base columns and before the schema's. */
    List<String> extraColumns(IngestConfig config) {
        return List.of();
    }

    /** Whether the records must have the label column, or may lack it (the labels then come from sidecars). */
    boolean labelColumnRequired() {
        return true;
    }

    /** The note when the label column is absent and that is allowed. */
    String withoutLabelColumn() {
        return "rows have no label";
    }

    /** Whether a label cell is one class (not, say, a sequence of tags). */
    boolean labelIsClass() {
        return true;
    }

    /** Distinct labels the dataset needs (classification: 2). */
    int minimumLabels() {
        return 0;
    }

    /**
     * Finds the columns this category reads from each record (adding their indexes to {@code read});
     * reports what is missing and returns false if the records cannot be checked.
     */
    boolean prepare(RecordsHeader header, IngestConfig config, Set<Integer> read, DatasetReport report) {
        return true;
    }

    /** What this category reads from one record, or null after reporting why the record is refused. */
    Object recordValue(RecordsSource.Record record, DatasetReport report) {
        return Boolean.TRUE;
    }

    /** What a file is (with its digest), or why it cannot be used; runs on the checking pool. */
    abstract Inspected inspect(Path file);

    /** The kind of finding for files {@link #inspect} refused ("images that cannot be used"). */
    abstract String unusableKind();

    /**
     * A check of one record's file against all the others, in record order (image family: one size);
     * null when it passes.
     */
    Refused consistent(Candidate candidate, Object info) {
        return null;
    }

    /** Checks one record with its usable file; runs on the checking pool, so it must only read. */
    Paired pair(Candidate candidate, Object info, Context context) {
        return Accepted.NOTHING;
    }

    /** Checks of the whole dataset once every record is decided (orphan sidecars, a tokenizer). */
    void finish(Context context, Set<String> listed, DatasetReport report) {}

    // ------------------------------------------------------------------ the shared vocabulary

    /** A file as inspected: usable, with what the category needs of it, or not, with why. */
    sealed interface Inspected {}

    record Usable(Object info, Digest digest) implements Inspected {}

    record Unusable(String reason) implements Inspected {}

    /** One record naming a file that exists, and what its record said. */
    record Candidate(RecordsSource.Record record, String filename, Path file, String label,
            Map<String, String> schemaValues, String idValue, Object recordValue) {}

    /** The dataset being checked: its folder, config and files, for pairing sidecars. */
    record Context(Path datasetDir, IngestConfig config, DatasetTree tree) {
        /** A sidecar of a data file: the file's path in {@code key}'s folder, with {@code suffix} for its extension. */
        String sidecar(String key, String dataFile, String suffix) {
            return config.sidecars().get(key) + "/" + stem(dataFile) + suffix;
        }

        Path resolve(String relative) {
            return datasetDir.resolve(relative);
        }
    }

    /** What checking one record with its file found: the row's extra values, labels and files, or what is wrong. */
    sealed interface Paired {}

    /**
     * @param values the category's extra row values
     * @param labels labels the record contributes beyond its label cell (an annotation's classes)
     * @param files the sidecar files the row was built from (relative to the dataset folder)
     * @param label the row's label when the category decides it (null: the label cell)
     */
    record Accepted(List<Object> values, Set<String> labels, List<String> files, String label) implements Paired {
        static final Accepted NOTHING = new Accepted(List.of(), Set.of(), List.of(), null);
    }

    record Refused(String kind, String who) implements Paired {}

    // ------------------------------------------------------------------ the checks

    @Override
    public DatasetOutcome check(DatasetLayout dataset, IngestConfig config, RecordProgress progress) {
        Path dir = dataset.root();
        DatasetReport report = new DatasetReport();
        List<String> extra = extraColumns(config);
        Set<String> rowColumns = new HashSet<>(RowsTable.BASE_COLUMNS);
        extra.forEach(c -> rowColumns.add(c.toLowerCase(Locale.ROOT)));
        String folder = config.dataFolder();
        DatasetTree tree;
        try {
            tree = DatasetTree.of(dir);
        } catch (DatasetProblem e) {
            report.error(e.getMessage());
            return new DatasetOutcome(report, new RowsTable(RowsTable.BASE_COLUMNS));
        }
        tree.reportLinks(report);
        boolean foldersThere = true;
        for (String key : config.category().sidecars()) {
            foldersThere &= folderThere(key, config.sidecars().get(key), dir, report);
        }
        RecordsHeader header = foldersThere ? RecordsHeader.open(dir, config, report) : null;
        if (header == null) {
            return new DatasetOutcome(report, new RowsTable(RowsTable.BASE_COLUMNS));
        }
        Set<Integer> read = new HashSet<>();
        int filenameColumn = header.exact("filename", report);
        read.add(filenameColumn);
        int labelColumn = labelColumn(header, config, report);
        read.add(labelColumn);
        Map<String, Integer> schemaColumns = header.schemaColumns(config, labelColumn, rowColumns, report);
        read.addAll(schemaColumns.values());
        int idColumn = DataIds.column(config, header, report);
        read.add(idColumn);
        boolean prepared = prepare(header, config, read, report);
        List<String> columns = new ArrayList<>(RowsTable.BASE_COLUMNS);
        columns.addAll(extra);
        columns.addAll(schemaColumns.keySet());
        RowsTable rows = new RowsTable(columns);
        if (filenameColumn < 0 || labelColumn == -1 || idColumn == -1 || !prepared || report.hasErrors()) {
            return new DatasetOutcome(report, rows);
        }

        Set<String> present = tree.under(folder);
        String extension = config.extension() != null ? config.extension() : mostCommonExtension(present);
        List<Candidate> candidates = new ArrayList<>();
        Map<String, Integer> namedBy = new LinkedHashMap<>();
        long[] emptyLabels = {0};
        boolean readAll = header.forEachRecord(r -> {
            String name = r.value(filenameColumn);
            if (name == null || name.isBlank()) {
                report.offender("rows with an empty filename", r.where());
                return;
            }
            String nameProblem = Values.nameProblem(name, Values.MAX_NAME);
            if (nameProblem != null) {
                report.offender("rows whose filename cannot name a file (no control characters, at most "
                        + String.format("%,d", Values.MAX_NAME) + " characters)", r.where() + " " + Values.shown(name) + " ("
                        + nameProblem + ")");
                return;
            }
            if (ManifestPaths.problem(name) != null) {
                report.offender("rows whose filename is absolute or contains '..' (it must name a file in " + folder + "/)",
                        r.where() + " " + Values.shown(name));
                return;
            }
            String resolved = resolve(present, name, extension);
            if (resolved == null) {
                report.offender("rows whose file does not exist in " + folder + "/", r.where() + " " + Values.shown(name));
                return;
            }
            String label = labelColumn >= 0 ? r.value(labelColumn) : null;
            if (label != null) {
                label = label.strip();
                if (label.isEmpty()) {
                    label = null;
                    emptyLabels[0]++;
                } else if (!Labels.storable(label, r, report)) {
                    return;
                }
            } else if (labelColumn >= 0) {
                emptyLabels[0]++;
            }
            Map<String, String> values = RecordsHeader.schemaValues(r, schemaColumns, config.schema(), report);
            if (values == null) {
                return;
            }
            Object recordValue = recordValue(r, report);
            if (recordValue == null) {
                return;
            }
            namedBy.merge(resolved, 1, Integer::sum);
            candidates.add(new Candidate(r, resolved, dir.resolve(folder).resolve(resolved), label, values,
                    idColumn >= 0 ? r.value(idColumn) : null, recordValue));
        }, report, progress);
        if (!readAll) {
            return new DatasetOutcome(report, rows);
        }
        long records = header.records();
        if (records == 0) {
            report.error(header.name + " has a header but no data rows");
        }

        // the records turned down while reading are decided; each candidate is once its file is checked
        long decided = records - candidates.size();
        progress.records(decided, records);
        Context context = new Context(dir, config, tree);
        List<Checked> checked = checkAll(candidates, context, done -> progress.records(decided + done, records));
        DataIds ids = new DataIds(config.dataId());
        Set<String> labels = new TreeSet<>();
        Set<String> refusedFiles = new HashSet<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            Checked result = checked.get(i);
            String ext = extensionOf(c.filename());
            if (extension != null && !sameExtension(ext, extension)) {
                if (refusedFiles.add(c.filename())) {
                    report.offender("files whose extension is not ." + extension + " (one extension per folder)",
                            folder + "/" + c.filename());
                }
                continue;
            }
            if (result.inspected() instanceof Unusable u) {
                if (refusedFiles.add(c.filename())) {
                    report.offender(unusableKind(), folder + "/" + c.filename() + " (" + u.reason() + ")");
                }
                continue;
            }
            Usable usable = (Usable) result.inspected();
            Refused inconsistent = consistent(c, usable.info());
            if (inconsistent != null) {
                if (refusedFiles.add(c.filename())) {
                    report.offender(inconsistent.kind(), inconsistent.who());
                }
                continue;
            }
            if (result.paired() instanceof Refused refused) {
                report.offender(refused.kind(), refused.who());
                continue;
            }
            if (idColumn >= 0 && !ids.firstUse(c.idValue(), c.record(), report)) {
                continue;
            }
            Accepted accepted = (Accepted) result.paired();
            String label = c.label() != null ? c.label() : accepted.label();
            if (c.label() != null && labelIsClass()) {
                labels.add(c.label());
            }
            labels.addAll(accepted.labels());
            List<Object> row = new ArrayList<>();
            row.add(ids.forFile(usable.digest(), c.idValue()));
            row.add(c.filename());
            row.add(ext.toLowerCase(Locale.ROOT));
            row.add(label);
            row.add(config.intent());
            row.addAll(accepted.values());
            schemaColumns.keySet().forEach(column -> row.add(c.schemaValues().get(column)));
            List<String> files = new ArrayList<>();
            files.add(folder + "/" + c.filename());
            files.addAll(accepted.files());
            rows.add(row, files, usable.digest());
        }
        if (!candidates.isEmpty()) {
            Labels.enough(labels, minimumLabels(), category, "", report);
        }
        if (emptyLabels[0] > 0) {
            report.note(String.format("%,d row%s an empty label (ingested without one)", emptyLabels[0],
                    emptyLabels[0] == 1 ? " has" : "s have"));
        }
        long shared = namedBy.values().stream().filter(n -> n > 1).count();
        if (shared > 0) {
            long rowsOfShared = namedBy.values().stream().filter(n -> n > 1).mapToLong(Integer::longValue).sum();
            report.note(String.format("%,d file%s named by several rows (%,d rows in all): each row is a record", shared,
                    shared == 1 ? " is" : "s are", rowsOfShared));
        }
        for (String file : present) {
            if (!namedBy.containsKey(file)) {
                report.noted("files in " + folder + "/ that no row names (not ingested)", file);
            }
        }
        finish(context, namedBy.keySet(), report);
        report.labels(List.copyOf(labels));
        report.counted(records, namedBy.size());
        return new DatasetOutcome(report, rows);
    }

    /** The label column: required, or looked for (with a note when absent), or none (-2); -1 after reporting. */
    private int labelColumn(RecordsHeader header, IngestConfig config, DatasetReport report) {
        if (config.label() == null) {
            return -2;
        }
        if (labelColumnRequired()) {
            return header.label(config.label().column(), "name it with --label-column (or label: in the config)", report);
        }
        int i = header.loose(config.label().column());
        if (i < 0) {
            report.note("label column " + Values.shown(config.label().column()) + " is not in " + header.name + ": "
                    + withoutLabelColumn());
            return -2;
        }
        return i;
    }

    private static boolean folderThere(String key, String name, Path dir, DatasetReport report) {
        if (name != null && java.nio.file.Files.isDirectory(dir.resolve(name))) {
            return true;
        }
        report.error(key + " folder " + (name == null ? key : name) + "/ not found in " + dir);
        return false;
    }

    /** The file a row names: as named, or with the extension appended ("photo.2024" -> "photo.2024.jpg"). */
    private static String resolve(Set<String> present, String name, String extension) {
        if (present.contains(name)) {
            return name;
        }
        if (extension != null) {
            for (String ext : alternatives(extension)) {
                if (present.contains(name + "." + ext)) {
                    return name + "." + ext;
                }
            }
        }
        return null;
    }

    private static List<String> alternatives(String extension) {
        return isJpeg(extension) ? List.of(extension, extension.equals("jpg") ? "jpeg" : "jpg") : List.of(extension);
    }

    private static String mostCommonExtension(Set<String> files) {
        Map<String, Integer> counts = new HashMap<>();
        for (String f : files) {
            String ext = extensionOf(f).toLowerCase(Locale.ROOT);
            if (!ext.isEmpty()) counts.merge(ext, 1, Integer::sum);
        }
        return counts.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).orElse(null);
    }

    static String extensionOf(String name) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        return dot > slash + 1 ? name.substring(dot + 1) : "";
    }

    /** A file's path without its extension ({@code cars/a.jpg} -> {@code cars/a}). */
    static String stem(String name) {
        String ext = extensionOf(name);
        return ext.isEmpty() ? name : name.substring(0, name.length() - ext.length() - 1);
    }

    private static boolean sameExtension(String a, String b) {
        return a.equalsIgnoreCase(b) || (isJpeg(a) && isJpeg(b));
    }

    private static boolean isJpeg(String ext) {
        return ext.equalsIgnoreCase("jpg") || ext.equalsIgnoreCase("jpeg");
    }

    /** A record's file as inspected, and (when usable) what checking the record with it found. */
    private record Checked(Inspected inspected, Paired paired) {}

    /**
     * Inspects each distinct file once and pairs every record with its file, on every core; results in
     * record order, their count told to {@code done} as they come.
     */
    private List<Checked> checkAll(List<Candidate> candidates, Context context, java.util.function.LongConsumer done) {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ferry-dataset-check");
            t.setDaemon(true);
            return t;
        });
        Map<String, CompletableFuture<Inspected>> files = new ConcurrentHashMap<>();
        try {
            List<Future<Checked>> futures = new ArrayList<>(candidates.size());
            for (Candidate c : candidates) {
                futures.add(pool.submit(() -> {
                    Inspected inspected = inspected(files, c);
                    Paired paired = inspected instanceof Usable u ? pair(c, u.info(), context) : null;
                    return new Checked(inspected, paired);
                }));
            }
            List<Checked> results = new ArrayList<>(futures.size());
            for (Future<Checked> f : futures) {
                results.add(f.get());
                done.accept(results.size());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetProblem("interrupted while checking files");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new DatasetProblem("checking files failed: " + e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The file's inspection: made by the first record that names it; later ones wait for it (a task
     * only ever waits for one that is already running, so the pool cannot deadlock).
     */
    private Inspected inspected(Map<String, CompletableFuture<Inspected>> files, Candidate c) {
        CompletableFuture<Inspected> mine = new CompletableFuture<>();
        CompletableFuture<Inspected> existing = files.putIfAbsent(c.filename(), mine);
        if (existing != null) {
            return existing.join();
        }
        try {
            mine.complete(inspect(c.file()));
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        }
        return mine.join();
    }
}
