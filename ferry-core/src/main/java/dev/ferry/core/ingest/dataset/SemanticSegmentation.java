package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.Size;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * semantic_segmentation: the image family's rules, and next to every listed image a PNG mask
 * ({@code masks/<image name>.png}) of the image's size holding one class id per pixel: grayscale or
 * palette (indexed) PNG, not RGB. A row gets the mask's path.
 */
final class SemanticSegmentation extends ImageDataset {
    static final String MASKS = "masks";

    SemanticSegmentation() {
        super(Category.SEMANTIC_SEGMENTATION, LabelRule.NONE, 0);
    }

    @Override
    List<String> extraColumns(IngestConfig config) {
        return List.of("mask");
    }

    @Override
    List<String> sidecarKeys(IngestConfig config) {
        return List.of(MASKS);
    }

    @Override
    Paired pair(Candidate candidate, Size size, Sidecars sidecars, DatasetReport report) {
        String name = sidecars.name(MASKS, candidate.filename());
        Path file = sidecars.file(MASKS, candidate.filename());
        if (!Files.isRegularFile(file)) {
            return new Refused("images without a mask in " + sidecars.config().sidecars().get(MASKS) + "/",
                    candidate.filename() + " (no " + name + ")");
        }
        ImageProbe.Result probe = ImageProbe.probe(file);
        if (probe instanceof ImageProbe.Unusable u) {
            return new Refused("masks that cannot be used", name + " (" + u.reason() + ")");
        }
        ImageProbe.Image mask = (ImageProbe.Image) probe;
        if (!mask.format().equals("png")) {
            return new Refused("masks that are not PNG", name + " is " + mask.format().toUpperCase(java.util.Locale.ROOT));
        }
        if (!mask.size().equals(size)) {
            return new Refused("masks whose size is not their image's", name + " is " + mask.size() + ", "
                    + candidate.filename() + " is " + size);
        }
        String colour = pngColourType(file);
        if (colour != null) {
            return new Refused("masks that are not one class id per pixel (save them as grayscale or palette PNG)",
                    name + " is " + colour);
        }
        return new Accepted(List.of(name), Set.of());
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
