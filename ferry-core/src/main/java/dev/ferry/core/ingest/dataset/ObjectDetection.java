package dev.ferry.core.ingest.dataset;

import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.Size;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * object_detection: the image family's rules, and next to every image a Pascal VOC annotation
 * ({@code annotations/<stem>.xml}) whose stated size is the image's and whose every object has a
 * class name and a box inside the image with min < max; every annotation has its image (an orphan is
 * an error). The labels are the objects' class names: a row's label is its label cell when the
 * records have one, else its annotation's classes. A row gets the annotation's path and its number of
 * objects.
 */
final class ObjectDetection extends ImageDataset {
    static final String ANNOTATIONS = "annotations";

    ObjectDetection() {
        super(Category.OBJECT_DETECTION);
    }

    @Override
    List<String> extraColumns(IngestConfig config) {
        return List.of("annotation", "objects");
    }

    @Override
    boolean labelColumnRequired() {
        return false;
    }

    @Override
    String withoutLabelColumn() {
        return "each row's label is its annotation's classes";
    }

    @Override
    int minimumLabels() {
        return 1;
    }

    /** The dataset's labels are its objects' classes; a label cell, when there, only labels its row. */
    @Override
    boolean labelIsClass() {
        return false;
    }

    @Override
    Paired pair(Candidate candidate, Object info, Context context) {
        Size size = sizeOf(info);
        String name = context.sidecar(ANNOTATIONS, candidate.filename(), ".xml");
        if (!context.tree().has(name)) {
            return new Refused("images without their annotation in " + context.config().sidecars().get(ANNOTATIONS) + "/",
                    candidate.filename() + " (no " + name + ")");
        }
        VocAnnotation voc;
        try {
            voc = VocAnnotation.read(context.resolve(name));
        } catch (VocAnnotation.Invalid e) {
            return new Refused("annotations that cannot be used", name + " (" + e.getMessage() + ")");
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
                        name + " object " + (i + 1) + " (" + Values.shown(o.name()) + "): " + problem);
            }
            String nameProblem = Values.nameProblem(o.name(), Values.MAX_LABEL);
            if (nameProblem != null) {
                return new Refused("annotations whose object name cannot be a label", name + " object " + (i + 1) + " ("
                        + nameProblem + ")");
            }
            labels.add(o.name());
        }
        return new Accepted(List.of(name, voc.objects().size()), labels, List.of(name),
                labels.isEmpty() ? null : String.join(",", labels));
    }

    /** Annotations without an image are an error (reference: every XML has its image); empty ones a note. */
    @Override
    void finish(Context context, Set<String> listed, DatasetReport report) {
        String folder = context.config().sidecars().get(ANNOTATIONS);
        Set<String> stems = new HashSet<>();
        context.tree().under(context.config().dataFolder()).forEach(image -> stems.add(stem(image)));
        for (String file : context.tree().under(folder)) {
            if (!stems.contains(stem(file))) {
                report.offender("annotations without their image in " + context.config().dataFolder()
                        + "/ (every annotation needs one)", folder + "/" + file);
            }
        }
    }
}
