package dev.ferry.core.ingest.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.Size;
import dev.ferry.core.model.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * keypoint_detection: the image family's rules, and a {@code keypoints} column holding, per record,
 * a JSON array of exactly {@code number_of_keypoints} triplets {@code x, y, v} (COCO's layout: v 0 =
 * not labelled, 1 = labelled but hidden, 2 = visible); labelled keypoints must lie inside the image.
 * A label column is optional; an annotations folder, when configured, pairs a Pascal VOC annotation
 * with every image as for object detection.
 */
final class KeypointDetection extends ImageDataset {
    static final String COLUMN = "keypoints";

    // an instance checks one dataset (DatasetCategory.of makes one per check): set by prepare
    private int keypointsColumn = -1;
    private int expected;

    KeypointDetection() {
        super(Category.KEYPOINT_DETECTION, LabelRule.OPTIONAL, 0);
    }

    /** One record's keypoints: the numbers, and the array as compact JSON for the rows. */
    private record Keypoints(double[] values, String json) {}

    @Override
    List<String> extraColumns(IngestConfig config) {
        return config.sidecars().containsKey(ObjectDetection.ANNOTATIONS)
                ? List.of(COLUMN, "annotation", "objects") : List.of(COLUMN);
    }

    @Override
    Set<String> inputColumns() {
        return Set.of(COLUMN);
    }

    @Override
    List<String> sidecarKeys(IngestConfig config) {
        return config.sidecars().containsKey(ObjectDetection.ANNOTATIONS) ? List.of(ObjectDetection.ANNOTATIONS) : List.of();
    }

    @Override
    boolean prepare(RecordsHeader header, IngestConfig config, DatasetReport report) {
        expected = config.numberOfKeypoints();
        keypointsColumn = header.columns().indexOf(COLUMN);
        if (keypointsColumn < 0) {
            report.error(header.name + " has no \"" + COLUMN + "\" column: keypoint_detection reads each record's"
                    + " keypoints from it, a JSON array of " + expected + " x, y, v triplets (columns: "
                    + String.join(", ", header.columns()) + ")");
            return false;
        }
        return true;
    }

    @Override
    Object recordValue(RecordsSource.Record record, DatasetReport report) {
        String text = record.value(keypointsColumn);
        String problem;
        double[] values = null;
        JsonNode node = null;
        try {
            node = text == null || text.isBlank() ? null : Json.MAPPER.readTree(text);
            problem = node == null ? "empty" : null;
            if (problem == null) {
                values = numbers(node);
                problem = values == null ? "not a JSON array of numbers" : shapeProblem(values);
            }
        } catch (JsonProcessingException e) {
            problem = "not JSON";
        }
        if (problem != null) {
            report.offender("rows whose keypoints are not " + expected + " x, y, v triplets (a JSON array of "
                    + 3 * expected + " numbers, v 0, 1 or 2)", record.where() + " (" + problem + ")");
            return null;
        }
        return new Keypoints(values, node.toString());
    }

    private static double[] numbers(JsonNode node) {
        if (!node.isArray()) {
            return null;
        }
        double[] values = new double[node.size()];
        for (int i = 0; i < values.length; i++) {
            if (!node.get(i).isNumber()) {
                return null;
            }
            values[i] = node.get(i).asDouble();
        }
        return values;
    }

    private String shapeProblem(double[] values) {
        if (values.length != 3 * expected) {
            return values.length + " numbers";
        }
        for (int k = 0; k < expected; k++) {
            double v = values[3 * k + 2];
            if (v != 0 && v != 1 && v != 2) {
                return "keypoint " + (k + 1) + " has visibility " + values[3 * k + 2];
            }
        }
        return null;
    }

    @Override
    Paired pair(Candidate candidate, Size size, Sidecars sidecars, DatasetReport report) {
        Keypoints keypoints = (Keypoints) candidate.recordValue();
        double[] values = keypoints.values();
        for (int k = 0; k < expected; k++) {
            double x = values[3 * k];
            double y = values[3 * k + 1];
            if (values[3 * k + 2] > 0 && (x < 0 || y < 0 || x > size.width() || y > size.height())) {
                return new Refused("rows whose labelled keypoints lie outside their image",
                        candidate.record().where() + " keypoint " + (k + 1) + " at (" + x + ", " + y + ") in "
                                + candidate.filename() + " of " + size);
            }
        }
        if (!sidecars.config().sidecars().containsKey(ObjectDetection.ANNOTATIONS)) {
            return new Accepted(List.of(keypoints.json()), Set.of());
        }
        Paired annotation = ObjectDetection.annotation(candidate, size, sidecars, report);
        if (annotation instanceof Accepted a) {
            List<Object> row = new ArrayList<>(List.of(keypoints.json()));
            row.addAll(a.values());
            return new Accepted(row, a.labels());
        }
        return annotation;
    }
}
