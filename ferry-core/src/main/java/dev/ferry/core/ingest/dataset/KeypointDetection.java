package dev.ferry.core.ingest.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.ingest.Category;
import dev.ferry.core.ingest.IngestConfig;
import dev.ferry.core.ingest.Size;
import dev.ferry.core.model.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * keypoint_detection: the image family's rules, and per record an {@code Annotation} cell holding a
 * JSON object of exactly {@code number_of_keypoints} named points ({@code {"nose": [12, 30], ...}})
 * and, when the records have it, a {@code Visibility} cell naming the same points with 0 (not
 * labelled), 1 (labelled, hidden) or 2 (visible). Labelled points lie inside their image. Rows add
 * {@code keypoints} and {@code visibility}, as compact JSON.
 */
final class KeypointDetection extends ImageDataset {
    static final String ANNOTATION = "Annotation";
    static final String VISIBILITY = "Visibility";

    // an instance checks one dataset: set by prepare
    private int annotationColumn = -1;
    private int visibilityColumn = -1;
    private int expected;

    KeypointDetection() {
        super(Category.KEYPOINT_DETECTION);
    }

    /** One record's points (name -> x, y) and visibilities (name -> 0/1/2; null without the column). */
    private record Keypoints(Map<String, double[]> points, Map<String, Integer> visibility, String pointsJson,
            String visibilityJson) {}

    @Override
    List<String> extraColumns(IngestConfig config) {
        return List.of("keypoints", "visibility");
    }

    @Override
    boolean labelColumnRequired() {
        return false;
    }

    @Override
    boolean prepare(RecordsHeader header, IngestConfig config, Set<Integer> read, DatasetReport report) {
        expected = config.numberOfKeypoints();
        annotationColumn = header.loose(ANNOTATION);
        visibilityColumn = header.loose(VISIBILITY);
        read.add(annotationColumn);
        read.add(visibilityColumn);
        if (annotationColumn < 0) {
            report.error(header.name + " has no \"" + ANNOTATION + "\" column: keypoint_detection reads each record's"
                    + " keypoints from it, a JSON object of " + expected + " named [x, y] points (columns: "
                    + String.join(", ", header.columns()) + ")");
            return false;
        }
        return true;
    }

    @Override
    Object recordValue(RecordsSource.Record record, DatasetReport report) {
        String text = record.value(annotationColumn);
        Map<String, double[]> points = new java.util.LinkedHashMap<>();
        String problem = points(text, points);
        if (problem != null) {
            report.offender("rows whose " + ANNOTATION + " is not " + expected + " named [x, y] points (a JSON object such as"
                    + " {\"nose\": [12, 30], ...})", record.where() + " (" + problem + ")");
            return null;
        }
        Map<String, Integer> visibility = null;
        String visibilityJson = null;
        if (visibilityColumn >= 0) {
            visibility = new java.util.LinkedHashMap<>();
            problem = visibility(record.value(visibilityColumn), points, visibility);
            if (problem != null) {
                report.offender("rows whose " + VISIBILITY + " is not 0, 1 or 2 for each of their points (a JSON object such as"
                        + " {\"nose\": 2, ...})", record.where() + " (" + problem + ")");
                return null;
            }
            visibilityJson = Json.MAPPER.valueToTree(visibility).toString();
        }
        ObjectNode compact = Json.MAPPER.createObjectNode();
        points.forEach((name, p) -> compact.putArray(name).add(p[0]).add(p[1]));
        return new Keypoints(points, visibility, compact.toString(), visibilityJson);
    }

    private String points(String text, Map<String, double[]> out) {
        JsonNode node;
        try {
            node = text == null || text.isBlank() ? null : Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return "not JSON";
        }
        if (node == null) {
            return "empty";
        }
        if (!node.isObject()) {
            return "not a JSON object";
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode p = e.getValue();
            if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
                return "point " + Values.shown(e.getKey()) + " is not [x, y]";
            }
            out.put(e.getKey(), new double[] {p.get(0).asDouble(), p.get(1).asDouble()});
        }
        return out.size() == expected ? null : out.size() + " points";
    }

    private static String visibility(String text, Map<String, double[]> points, Map<String, Integer> out) {
        JsonNode node;
        try {
            node = text == null || text.isBlank() ? null : Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return "not JSON";
        }
        if (node == null || !node.isObject()) {
            return node == null ? "empty" : "not a JSON object";
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!points.containsKey(e.getKey())) {
                return "names " + Values.shown(e.getKey()) + ", which the Annotation does not";
            }
            if (!v.isIntegralNumber() || v.asInt() < 0 || v.asInt() > 2) {
                return Values.shown(e.getKey()) + " is " + v;
            }
            out.put(e.getKey(), v.asInt());
        }
        for (String name : points.keySet()) {
            if (!out.containsKey(name)) {
                return "says nothing of " + Values.shown(name);
            }
        }
        return null;
    }

    @Override
    Paired pair(Candidate candidate, Object info, Context context) {
        Size size = sizeOf(info);
        Keypoints keypoints = (Keypoints) candidate.recordValue();
        for (Map.Entry<String, double[]> e : keypoints.points().entrySet()) {
            boolean labelled = keypoints.visibility() == null || keypoints.visibility().get(e.getKey()) > 0;
            double x = e.getValue()[0];
            double y = e.getValue()[1];
            if (labelled && (x < 0 || y < 0 || x > size.width() || y > size.height())) {
                return new Refused("rows whose labelled keypoints lie outside their image",
                        candidate.record().where() + " " + Values.shown(e.getKey()) + " at (" + num(x) + ", " + num(y)
                                + ") in " + candidate.filename() + " of " + size);
            }
        }
        List<Object> values = new ArrayList<>();
        values.add(keypoints.pointsJson());
        values.add(keypoints.visibilityJson());
        return new Accepted(values, Set.of(), List.of(), null);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
