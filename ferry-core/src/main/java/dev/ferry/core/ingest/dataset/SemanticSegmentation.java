package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.Size;
import dev.ferry.core.manifest.ManifestPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * semantic_segmentation: the image family's rules, and a {@code mask_id} column naming each row's mask
 * in the masks folder: {@code <stem>_mask.png} for the image {@code <stem>.<ext>} (the extension may be
 * left out), a PNG of the image's size holding one class id per pixel (grayscale or palette, not RGB).
 * Masks no row names are a note. A row gets the mask's path.
 */
final class SemanticSegmentation extends ImageDataset {
    static final String MASKS = "masks";
    static final String MASK_ID = "mask_id";
    static final String SUFFIX = "_mask.png";

    // an instance checks one dataset: set by prepare
    private int maskColumn = -1;

    SemanticSegmentation() {
        super(Category.SEMANTIC_SEGMENTATION);
    }

    @Override
    List<String> extraColumns(IngestConfig config) {
        return List.of("mask");
    }

    @Override
    boolean labelColumnRequired() {
        return false;
    }

    @Override
    String withoutLabelColumn() {
        return "rows have no label (the classes are in the masks)";
    }

    @Override
    boolean prepare(RecordsHeader header, IngestConfig config, Set<Integer> read, DatasetReport report) {
        maskColumn = header.columns().indexOf(MASK_ID);
        read.add(maskColumn);
        if (maskColumn < 0) {
            report.error(header.name + " has no \"" + MASK_ID + "\" column: semantic_segmentation reads each row's mask"
                    + " name from it (<stem>" + SUFFIX + " in " + config.sidecars().get(MASKS) + "/; columns: "
                    + String.join(", ", header.columns()) + ")");
            return false;
        }
        return true;
    }

    @Override
    Object recordValue(RecordsSource.Record record, DatasetReport report) {
        String id = record.value(maskColumn);
        if (id == null || id.isBlank()) {
            report.offender("rows with an empty " + MASK_ID, record.where());
            return null;
        }
        String problem = Values.nameProblem(id, Values.MAX_NAME);
        if (problem == null && ManifestPaths.problem(id) != null) {
            problem = "absolute or contains '..'";
        }
        if (problem != null) {
            report.offender("rows whose " + MASK_ID + " cannot name a mask", record.where() + " " + Values.shown(id) + " ("
                    + problem + ")");
            return null;
        }
        return extensionOf(id).isEmpty() ? id + ".png" : id;
    }

    @Override
    Paired pair(Candidate candidate, Object info, Context context) {
        Size size = sizeOf(info);
        String mask = (String) candidate.recordValue();
        String expected = stem(candidate.filename()) + SUFFIX;
        if (!mask.equals(expected)) {
            return new Refused("rows whose " + MASK_ID + " is not <image stem>" + SUFFIX, candidate.record().where() + " "
                    + Values.shown(mask) + " for " + candidate.filename() + " (expected " + Values.shown(expected) + ")");
        }
        String folder = context.config().sidecars().get(MASKS);
        String name = folder + "/" + mask;
        if (!context.tree().has(name)) {
            return new Refused("images without their mask in " + folder + "/", candidate.filename() + " (no " + name + ")");
        }
        Path file = context.resolve(name);
        ImageProbe.Result probe = ImageProbe.probe(file, false);
        if (probe instanceof ImageProbe.Unusable u) {
            return new Refused("masks that cannot be used", name + " (" + u.reason() + ")");
        }
        ImageProbe.Image image = (ImageProbe.Image) probe;
        if (!image.format().equals("png")) {
            return new Refused("masks that are not PNG", name + " is " + image.format().toUpperCase(Locale.ROOT));
        }
        if (!image.size().equals(size)) {
            return new Refused("masks whose size is not their image's", name + " is " + image.size() + ", "
                    + candidate.filename() + " is " + size);
        }
        String colour = pngColourType(file);
        if (colour != null) {
            return new Refused("masks that are not one class id per pixel (save them as grayscale or palette PNG)",
                    name + " is " + colour);
        }
        return new Accepted(List.of(name), Set.of(), List.of(name), null);
    }

    @Override
    void finish(Context context, Set<String> listed, DatasetReport report) {
        String folder = context.config().sidecars().get(MASKS);
        Set<String> expected = new java.util.HashSet<>();
        listed.forEach(image -> expected.add(stem(image) + SUFFIX));
        for (String file : context.tree().under(folder)) {
            if (!expected.contains(file)) {
                report.noted("masks in " + folder + "/ for no listed image (not ingested)", file);
            }
        }
    }

    /** Null for a grayscale or palette PNG; otherwise what it holds instead (from the IHDR chunk). */
    private static String pngColourType(Path file) {
        byte[] head = new byte[26];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, head.length) < head.length) {
                return "too short to be a PNG";
            }
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
        // 8-byte signature, IHDR length and type (8), width, height (8), bit depth, colour type
        return switch (head[25]) {
            case 0, 3 -> null;
            case 2 -> "RGB";
            case 4 -> "grayscale with alpha";
            case 6 -> "RGBA";
            default -> "of colour type " + head[25];
        };
    }
}
