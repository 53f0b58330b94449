package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.DatasetLayout;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.Size;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The image family's shared rules, beyond the file-bearing ones: every image decodes, its content is
 * the format its extension says, it declares no more pixels than {@link ImageProbe#MAX_PIXELS}, and
 * it is at least the minimum size (32x32 unless configured); for classification all have one size
 * (the configured target size, else the first image's).
 */
abstract sealed class ImageDataset extends FileDataset
        permits ImageClassification, ObjectDetection, KeypointDetection, SemanticSegmentation {
    // an instance checks one dataset (DatasetCategory.of makes one per check)
    private Size target;
    private Size minimum;
    private String folder;

    ImageDataset(Category category) {
        super(category);
    }

    @Override
    public DatasetOutcome check(DatasetLayout dataset, IngestConfig config, RecordProgress progress) {
        target = config.targetSize();
        minimum = config.minSize();
        folder = config.dataFolder();
        return super.check(dataset, config, progress);
    }

    @Override
    Inspected inspect(Path file) {
        ImageProbe.Result probe = ImageProbe.probe(file, true);
        if (probe instanceof ImageProbe.Unusable u) {
            return new Unusable(u.reason());
        }
        ImageProbe.Image image = (ImageProbe.Image) probe;
        String ext = extensionOf(file.getFileName().toString());
        if (!ext.isEmpty() && !ImageProbe.formatMatches(ext, image.format())) {
            return new Unusable("its bytes are " + image.format().toUpperCase(Locale.ROOT) + ", not what ." + ext + " says");
        }
        return new Usable(image, image.digest());
    }

    @Override
    String unusableKind() {
        return "images that cannot be used";
    }

    /**
     * Whether all images must have one size: image classification's rule (reference §3); the other
     * image categories check each image against its own sidecars (annotation, mask, keypoints) instead,
     * and their target_size is what training resizes to.
     */
    boolean oneSize() {
        return false;
    }

    @Override
    Refused consistent(Candidate candidate, Object info) {
        Size size = ((ImageProbe.Image) info).size();
        if (target == null && oneSize()) {
            target = size; // the default: the first image's size, which all must share
        }
        String name = folder + "/" + candidate.filename();
        if (oneSize() && !size.equals(target)) {
            return new Refused("images that are not " + target + " (width x height)", name + " is " + size);
        }
        if (minimum != null && !size.fitsIn(minimum)) {
            return new Refused("images smaller than the minimum " + minimum + " (--min-size or spec.file_options.min_size"
                    + " changes it)", name + " is " + size);
        }
        return null;
    }

    /** An image's size, from what {@link #inspect} found. */
    static Size sizeOf(Object info) {
        return ((ImageProbe.Image) info).size();
    }
}
