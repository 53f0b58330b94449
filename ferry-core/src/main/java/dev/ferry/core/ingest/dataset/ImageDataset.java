package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.Size;
import dev.ferry.core.manifest.ManifestPaths;
import dev.ferry.core.model.Digest;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * The image family's shared rules: a records file with an exact {@code filename} column and an images
 * folder; every listed image exists, is safe to name, has the one extension, decodes, has the target
 * size and at least the minimum. A category adds its label rule, what it checks of each record, what
 * it checks next to each image (its annotation, its mask) and the columns those add to the rows.
 * Images and sidecar files that no row lists are notes, not errors.
 */
abstract sealed class ImageDataset implements DatasetCategory
        permits ImageClassification, ObjectDetection, KeypointDetection, SemanticSegmentation {
    private static final Set<String> RESERVED = Set.of("data_id", "data_intent", "extension", "label");

    /** Whether records carry a label (the schema says the same; this is what the checks do with it). */
    enum LabelRule { REQUIRED, OPTIONAL, NONE }

    private final Category category;
    private final LabelRule labelRule;
    /** Distinct labels the dataset needs (classification: 2); labels come from records or sidecars. */
    private final int minimumLabels;

    ImageDataset(Category category, LabelRule labelRule, int minimumLabels) {
        this.category = category;
        this.labelRule = labelRule;
        this.minimumLabels = minimumLabels;
    }

    @Override
    public final Category category() {
        return category;
    }

    /** Columns this category adds to the rows, after the base columns and before the schema's. */
    List<String> extraColumns(IngestConfig config) {
        return List.of();
    }

    /** Records-file columns this category reads itself (not refused although the rows table has them). */
    Set<String> inputColumns() {
        return Set.of();
    }

    /** Config keys of the sidecar folders this category pairs with its images (annotations, masks). */
    List<String> sidecarKeys(IngestConfig config) {
        return List.of();
    }

    /** The file extension of each sidecar folder's files: Pascal VOC annotations, PNG masks. */
    private static final Map<String, String> SIDECAR_EXTENSIONS = Map.of("annotations", ".xml", "masks", ".png");

    /**
     * Finds the columns this category reads from each record; reports what is missing and returns
     * false if the records cannot be checked.
     */
    boolean prepare(RecordsHeader header, IngestConfig config, DatasetReport report) {
        return true;
    }

    /** What this category reads from one record, or null after reporting why the record is refused. */
    Object recordValue(RecordsSource.Record record, DatasetReport report) {
        return Boolean.TRUE;
    }

    /** One listed image and what its record said. */
    record Candidate(RecordsSource.Record record, String filename, Path file, String label,
            Map<String, String> schemaValues, String idValue, Object recordValue) {}

    /** Where a sidecar of an image lives: the image's path with the sidecar's extension, in its folder. */
    record Sidecars(Path datasetDir, IngestConfig config) {
        String name(String key, String imageName) {
            String ext = ImageDataset.extensionOf(imageName);
            String stem = ext.isEmpty() ? imageName : imageName.substring(0, imageName.length() - ext.length() - 1);
            return config.sidecars().get(key) + "/" + stem + SIDECAR_EXTENSIONS.get(key);
        }

        Path file(String key, String imageName) {
            return datasetDir.resolve(name(key, imageName));
        }
    }

    /** What the checks next to one image found: the row's extra values and labels, or what is wrong. */
    sealed interface Paired {}

    record Accepted(List<Object> values, Set<String> labels) implements Paired {
        static final Accepted NOTHING = new Accepted(List.of(), Set.of());
    }

    record Refused(String kind, String who) implements Paired {}

    /**
     * Checks what belongs next to one decodable image of {@code size}; runs on the checking pool, so it
     * must only read. Notes go to {@code report} (it is thread-safe).
     */
    Paired pair(Candidate candidate, Size size, Sidecars sidecars, DatasetReport report) {
        return Accepted.NOTHING;
    }

    /** The row's image, then its sidecars (annotation, mask), named as the checks found them. */
    @Override
    public List<String> filesOf(List<Object> row, IngestConfig config) {
        String image = (String) row.get(RowsTable.BASE_COLUMNS.indexOf("filename"));
        List<String> files = new ArrayList<>();
        files.add(config.sidecars().get("images") + "/" + image);
        Sidecars sidecars = new Sidecars(null, config);
        sidecarKeys(config).forEach(key -> files.add(sidecars.name(key, image)));
        return files;
    }

    @Override
    public DatasetOutcome check(Path dir, IngestConfig config, RecordProgress progress) {
        DatasetReport report = new DatasetReport();
        List<String> extra = extraColumns(config);
        List<String> columns = new ArrayList<>(RowsTable.BASE_COLUMNS);
        columns.addAll(extra);
        columns.addAll(config.schema().keySet());
        RowsTable rows = new RowsTable(columns);
        String imagesName = config.sidecars().get("images");
        Path images = dir.resolve(imagesName);
        boolean foldersThere = folderThere("images", imagesName, dir, report);
        for (String key : sidecarKeys(config)) {
            foldersThere &= folderThere(key, config.sidecars().get(key), dir, report);
        }
        RecordsHeader header = RecordsHeader.open(dir, config, report);
        if (header == null || !foldersThere) {
            return new DatasetOutcome(report, rows);
        }
        int filenameColumn = header.exact("filename", report);
        int labelColumn = switch (labelRule) {
            case REQUIRED -> header.label(config.label().column(), report);
            case OPTIONAL -> config.label() == null ? -2 : header.label(config.label().column(), report);
            case NONE -> -2;
        };
        Map<String, Integer> schemaColumns = header.schemaColumns(config, report);
        int idColumn = config.dataId().strategy() == IngestConfig.DataIdStrategy.COLUMN
                ? header.exact(config.dataId().column(), report) : -2;
        Set<String> reserved = new HashSet<>(RESERVED);
        extra.stream().filter(c -> !inputColumns().contains(c)).forEach(reserved::add);
        header.refuseReserved(reserved, labelColumn, report);
        boolean prepared = prepare(header, config, report);
        if (filenameColumn < 0 || labelColumn == -1 || idColumn == -1 || !prepared || report.hasErrors()) {
            return new DatasetOutcome(report, rows);
        }

        Set<String> present = listFiles(images);
        String extension = config.extension() != null ? config.extension() : mostCommonExtension(present);
        List<Candidate> candidates = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        long[] records = {0};
        boolean readAll = header.forEachRecord(r -> {
            records[0]++;
            String name = r.value(filenameColumn);
            if (name == null || name.isBlank()) {
                report.offender("rows with an empty filename", r.where());
                return;
            }
            if (ManifestPaths.problem(name) != null) {
                report.offender("rows whose filename is absolute or contains '..' (it must name a file in "
                        + imagesName + "/)", r.where() + " \"" + name + "\"");
                return;
            }
            String resolved = resolve(images, name, extension);
            if (resolved == null) {
                report.offender("rows whose image does not exist in " + imagesName + "/", r.where() + " \"" + name + "\"");
                return;
            }
            if (!listed.add(resolved)) {
                report.offender("images listed more than once", r.where() + " \"" + name + "\"");
                return;
            }
            String label = labelColumn >= 0 ? r.value(labelColumn) : null;
            if (labelColumn >= 0 && (label == null || label.isBlank())) {
                report.offender("rows without a label", r.where());
                return;
            }
            Map<String, String> values = RecordsHeader.schemaValues(r, schemaColumns, config.schema(), report);
            if (values == null) {
                return;
            }
            Object recordValue = recordValue(r, report);
            if (recordValue == null) {
                return;
            }
            candidates.add(new Candidate(r, resolved, images.resolve(resolved), label == null ? null : label.trim(), values,
                    idColumn >= 0 ? r.value(idColumn) : null, recordValue));
        }, report, progress);
        if (!readAll) {
            return new DatasetOutcome(report, rows);
        }
        if (records[0] == 0) {
            report.error(header.name + " has a header but no data rows");
        }

        // the records turned down while reading are checked; each candidate is once its image is
        long decided = records[0] - candidates.size();
        progress.records(decided, records[0]);
        Sidecars sidecars = new Sidecars(dir, config);
        List<Checked> checked = checkAll(candidates, sidecars, report, done -> progress.records(decided + done, records[0]));
        Size target = config.targetSize();
        Set<String> labels = new TreeSet<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            Checked result = checked.get(i);
            String ext = extensionOf(c.filename());
            if (extension != null && !ext.equalsIgnoreCase(extension) && !(isJpeg(ext) && isJpeg(extension))) {
                report.offender("images whose extension is not ." + extension, c.filename());
                continue;
            }
            if (result.probe() instanceof ImageProbe.Unusable u) {
                report.offender("images that cannot be used", c.filename() + " (" + u.reason() + ")");
                continue;
            }
            Size size = ((ImageProbe.Image) result.probe()).size();
            if (target == null) {
                target = size; // the default: the first image's size, which all must share
            }
            if (!size.equals(target)) {
                report.offender("images that are not " + target + " (width x height)", c.filename() + " is " + size);
                continue;
            }
            if (config.minSize() != null && !size.fitsIn(config.minSize())) {
                report.offender("images smaller than the minimum " + config.minSize(), c.filename() + " is " + size);
                continue;
            }
            if (result.paired() instanceof Refused refused) {
                report.offender(refused.kind(), refused.who());
                continue;
            }
            Accepted accepted = (Accepted) result.paired();
            if (c.label() != null) {
                labels.add(c.label());
            }
            labels.addAll(accepted.labels());
            rows.add(row(c, config, ext, accepted.values()));
        }
        if (!candidates.isEmpty() && labels.size() < minimumLabels && !report.hasErrors()) {
            report.error("only " + labels.size() + " distinct label" + (labels.size() == 1 ? " (\"" + labels.iterator().next()
                    + "\")" : "") + ": " + category + " needs at least " + minimumLabels);
        }
        for (String file : present) {
            if (!listed.contains(file)) {
                report.noted("images in " + imagesName + "/ that no row lists (not ingested)", file);
            }
        }
        noteUnpairedSidecars(dir, config, sidecars, listed, report);
        report.labels(List.copyOf(labels));
        report.counted(records[0], listed.size());
        return new DatasetOutcome(report, rows);
    }

    private static boolean folderThere(String key, String name, Path dir, DatasetReport report) {
        if (Files.isDirectory(dir.resolve(name))) {
            return true;
        }
        report.error(key + " folder " + name + "/ not found in " + dir);
        return false;
    }

    private void noteUnpairedSidecars(Path dir, IngestConfig config, Sidecars sidecars, Set<String> listed,
            DatasetReport report) {
        for (String key : sidecarKeys(config)) {
            String folder = config.sidecars().get(key);
            Set<String> expected = new HashSet<>();
            listed.forEach(image -> expected.add(sidecars.name(key, image).substring(folder.length() + 1)));
            for (String file : listFiles(dir.resolve(folder))) {
                if (!expected.contains(file)) {
                    report.noted(key + " in " + folder + "/ for no listed image (not ingested)", file);
                }
            }
        }
    }

    private static List<Object> row(Candidate c, IngestConfig config, String ext, List<Object> extra) {
        List<Object> row = new ArrayList<>();
        Digest digest = config.dataId().strategy() == IngestConfig.DataIdStrategy.CONTENT_HASH ? digestOf(c.file()) : null;
        row.add(DataIds.forFile(config.dataId(), digest, c.idValue()));
        row.add(c.filename());
        row.add(ext.toLowerCase(Locale.ROOT));
        row.add(c.label());
        row.add(config.intent());
        row.addAll(extra);
        config.schema().keySet().forEach(column -> row.add(c.schemaValues().get(column)));
        return row;
    }

    /** The file a row names: as named, or with the extension appended ("photo.2024" -> "photo.2024.jpg"). */
    private static String resolve(Path images, String name, String extension) {
        if (Files.isRegularFile(images.resolve(name))) {
            return name;
        }
        if (extension != null && Files.isRegularFile(images.resolve(name + "." + extension))) {
            return name + "." + extension;
        }
        return null;
    }

    /** The regular files under a folder, as '/'-separated paths relative to it. */
    private static Set<String> listFiles(Path folder) {
        Set<String> names = new TreeSet<>();
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        names.add(folder.relativize(file).toString().replace('\\', '/'));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new DatasetProblem("cannot list " + folder + ": " + e.getMessage());
        }
        return names;
    }

    private static String mostCommonExtension(Set<String> files) {
        Map<String, Integer> counts = new HashMap<>();
        for (String f : files) {
            String ext = extensionOf(f).toLowerCase(Locale.ROOT);
            if (!ext.isEmpty()) counts.merge(ext, 1, Integer::sum);
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    static String extensionOf(String name) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        return dot > slash + 1 ? name.substring(dot + 1) : "";
    }

    private static boolean isJpeg(String ext) {
        return ext.equalsIgnoreCase("jpg") || ext.equalsIgnoreCase("jpeg");
    }

    /** An image's probe, and (when it decoded) what its sidecar checks found. */
    private record Checked(ImageProbe.Result probe, Paired paired) {}

    /** Probes images and checks their sidecars on every core; results in the same order, their count told to {@code done}. */
    private List<Checked> checkAll(List<Candidate> candidates, Sidecars sidecars, DatasetReport report, LongConsumer done) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ferry-image-check");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Checked>> futures = new ArrayList<>(candidates.size());
            for (Candidate c : candidates) {
                futures.add(pool.submit(() -> {
                    ImageProbe.Result probe = ImageProbe.probe(c.file());
                    Paired paired = probe instanceof ImageProbe.Image image ? pair(c, image.size(), sidecars, report) : null;
                    return new Checked(probe, paired);
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
            throw new DatasetProblem("interrupted while checking images");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new DatasetProblem("checking images failed: " + e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Digest digestOf(Path file) {
        try {
            return Digest.of(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new DatasetProblem("cannot read " + file + ": " + e.getMessage());
        }
    }
}
