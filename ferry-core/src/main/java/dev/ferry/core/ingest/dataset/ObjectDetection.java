package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.Size;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * object_detection: the image family's rules, and next to every listed image a Pascal VOC annotation
 * ({@code annotations/<image name>.xml}) whose stated size is the image's and whose every object has
 * a class name and a non-empty box inside the image. The labels are the objects' class names; a row
 * gets the annotation's path and its number of objects.
 */
final class ObjectDetection extends ImageDataset {
    static final String ANNOTATIONS = "annotations";

    ObjectDetection() {
        super(Category.OBJECT_DETECTION, LabelRule.NONE, 1);
    }

    @Override
    List<String> extraColumns(IngestConfig config) {
        return List.of("annotation", "objects");
    }

    @Override
    List<String> sidecarKeys(IngestConfig config) {
        return List.of(ANNOTATIONS);
    }

    @Override
    Paired pair(Candidate candidate, Size size, Sidecars sidecars, DatasetReport report) {
        return annotation(candidate, size, sidecars, report);
    }

    /** The VOC annotation of one image, checked against the image (shared with keypoint detection). */
    static Paired annotation(Candidate candidate, Size size, Sidecars sidecars, DatasetReport report) {
        String name = sidecars.name(ANNOTATIONS, candidate.filename());
        VocAnnotation voc;
        try {
            voc = VocAnnotation.read(sidecars.file(ANNOTATIONS, candidate.filename()));
        } catch (VocAnnotation.Invalid e) {
            return e.missing
                    ? new Refused("images without an annotation in " + sidecars.config().sidecars().get(ANNOTATIONS) + "/",
                            candidate.filename() + " (no " + name + ")")
                    : new Refused("annotations that cannot be used", name + " (" + e.getMessage() + ")");
        }
        if (voc.size() != null && !voc.size().equals(size)) {
            return new Refused("annotations whose <size> is not their image's", name + " says " + voc.size() + ", "
                    + candidate.filename() + " is " + size);
        }
        Set<String> labels = new TreeSet<>();
        for (int i = 0; i < voc.objects().size(); i++) {
            VocAnnotation.VocObject o = voc.objects().get(i);
            String problem = o.boxProblem(size);
            if (problem != null) {
                return new Refused("annotations with a box that is empty or outside its image",
                        name + " object " + (i + 1) + " (\"" + o.name() + "\"): " + problem);
            }
            labels.add(o.name());
        }
        if (voc.objects().isEmpty()) {
            report.noted("annotations with no objects (the image is ingested as background)", name);
        }
        return new Accepted(List.of(name, voc.objects().size()), labels);
    }
}
