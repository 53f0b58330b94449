package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.Size;
import dev.ferry.core.model.Digest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * image_classification: a records file with an exact {@code filename} column and a label column,
 * and an images folder. Every listed image must exist, be safe to name, share one extension, decode,
 * and have the target size; there must be two labels at least. Images nobody lists are a note.
 */
final class ImageClassification implements DatasetCategory {
    private static final Set<String> RESERVED = Set.of("data_id", "data_intent", "extension", "label");

    @Override
    public Category category() {
        return Category.IMAGE_CLASSIFICATION;
    }

    /** A record that passed the row-level checks, waiting for its image's. */
    private record Candidate(RecordsSource.Record record, String filename, Path file, String label,
            Map<String, String> schemaValues, String idValue) {}

    @Override
    public DatasetOutcome check(Path dir, IngestConfig config, RecordProgress progress) {
        DatasetReport report = new DatasetReport();
        List<String> columns = new ArrayList<>(RowsTable.BASE_COLUMNS);
        columns.addAll(config.schema().keySet());
        RowsTable rows = new RowsTable(columns);
        String imagesName = config.sidecars().get("images");
        Path images = dir.resolve(imagesName);
        if (!Files.isDirectory(images)) {
            report.error("images folder " + imagesName + "/ not found in " + dir);
        }
        RecordsHeader header = RecordsHeader.open(dir, config, report);
        if (header == null || !Files.isDirectory(images)) {
            return new DatasetOutcome(report, rows);
        }
        int filenameColumn = header.exact("filename", report);
        int labelColumn = header.label(config.label().column(), report);
        Map<String, Integer> schemaColumns = header.schemaColumns(config, report);
        int idColumn = config.dataId().strategy() == IngestConfig.DataIdStrategy.COLUMN
                ? header.exact(config.dataId().column(), report) : -2;
        header.refuseReserved(RESERVED, labelColumn, report);
        if (filenameColumn < 0 || labelColumn < 0 || idColumn == -1 || report.hasErrors()) {
            return new DatasetOutcome(report, rows);
        }

        Set<String> present = listImages(images);
        String extension = config.extension() != null ? config.extension() : mostCommonExtension(present);
        List<Candidate> candidates = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        long[] records = {0};
        boolean readAll = header.forEachRecord(r -> {
            records[0]++;
            String name = r.value(filenameColumn);
            String label = r.value(labelColumn);
            if (name == null || name.isBlank()) {
                report.offender("rows with an empty filename", r.where());
                return;
            }
            if (dev.ferry.core.manifest.ManifestPaths.problem(name) != null) {
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
            if (label == null || label.isBlank()) {
                report.offender("rows without a label", r.where());
                return;
            }
            Map<String, String> values = RecordsHeader.schemaValues(r, schemaColumns, config.schema(), report);
            if (values == null) {
                return;
            }
            candidates.add(new Candidate(r, resolved, images.resolve(resolved), label.trim(), values,
                    idColumn >= 0 ? r.value(idColumn) : null));
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
        List<ImageProbe.Result> probes = probeAll(candidates, done -> progress.records(decided + done, records[0]));
        Size target = config.targetSize();
        Set<String> labels = new TreeSet<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            String ext = extensionOf(c.filename());
            if (extension != null && !ext.equalsIgnoreCase(extension)
                    && !(isJpeg(ext) && isJpeg(extension))) {
                report.offender("images whose extension is not ." + extension, c.filename());
                continue;
            }
            if (probes.get(i) instanceof ImageProbe.Unusable u) {
                report.offender("images that cannot be used", c.filename() + " (" + u.reason() + ")");
                continue;
            }
            Size size = ((ImageProbe.Image) probes.get(i)).size();
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
            labels.add(c.label());
            rows.add(row(c, config, ext));
        }
        if (!candidates.isEmpty() && labels.size() < 2 && !report.hasErrors()) {
            report.error("only " + labels.size() + " distinct label" + (labels.size() == 1 ? " (\"" + labels.iterator().next()
                    + "\")" : "") + ": classification needs at least 2");
        }
        for (String file : present) {
            if (!listed.contains(file)) {
                report.noted("images in " + imagesName + "/ that no row lists (not ingested)", file);
            }
        }
        report.labels(List.copyOf(labels));
        report.counted(records[0], listed.size());
        return new DatasetOutcome(report, rows);
    }

    private static List<Object> row(Candidate c, IngestConfig config, String ext) {
        List<Object> row = new ArrayList<>();
        Digest digest = config.dataId().strategy() == IngestConfig.DataIdStrategy.CONTENT_HASH ? digestOf(c.file()) : null;
        row.add(DataIds.forFile(config.dataId(), digest, c.idValue()));
        row.add(c.filename());
        row.add(ext.toLowerCase(Locale.ROOT));
        row.add(c.label());
        row.add(config.intent());
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

    private static Set<String> listImages(Path images) {
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(images)) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    names.add(f.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new DatasetProblem("cannot list " + images + ": " + e.getMessage());
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

    /** Probes images on every core; results in the same order, their count so far told to {@code done}. */
    private static List<ImageProbe.Result> probeAll(List<Candidate> candidates, java.util.function.LongConsumer done) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ferry-image-check");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ImageProbe.Result>> futures = new ArrayList<>(candidates.size());
            for (Candidate c : candidates) {
                futures.add(pool.submit(() -> ImageProbe.probe(c.file())));
            }
            List<ImageProbe.Result> results = new ArrayList<>(futures.size());
            for (Future<ImageProbe.Result> f : futures) {
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
