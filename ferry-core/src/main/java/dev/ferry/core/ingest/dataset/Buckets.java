package dev.ferry.core.ingest.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bucket label policy: a numeric value becomes the range it falls in, by ascending edges —
 * {@code [-inf, e0)}, {@code [e0, e1)}, ..., {@code [en, inf)}. ingest.v1 states no edges; Ferry takes
 * them from the config's {@code buckets} (its own extension) or else from the data: the deciles of the
 * dataset's label values (nearest rank; repeated edges collapse), so each bucket holds about a tenth.
 */
final class Buckets {
    private Buckets() {}

    /** The edges: the configured ones, sorted, or the deciles of {@code values}. */
    static List<Double> edges(List<Double> configured, List<Double> values) {
        if (!configured.isEmpty()) {
            return configured.stream().sorted().toList();
        }
        List<Double> sorted = values.stream().filter(v -> !v.isNaN()).sorted().toList();
        List<Double> edges = new ArrayList<>();
        for (int q = 1; q < dev.ferry.core.ingest.IngestDefaults.DEFAULT_BUCKETS; q++) {
            if (sorted.isEmpty()) break;
            int rank = (int) Math.ceil(q * sorted.size() / (double) dev.ferry.core.ingest.IngestDefaults.DEFAULT_BUCKETS);
            double edge = sorted.get(Math.min(sorted.size() - 1, Math.max(0, rank)));
            if (edge > sorted.get(0) && (edges.isEmpty() || edge > edges.get(edges.size() - 1))) {
                edges.add(edge);
            }
        }
        return edges;
    }

    /** The range a value falls in. */
    static String of(double value, List<Double> edges) {
        if (edges.isEmpty()) {
            return "[-inf, inf)";
        }
        for (int i = 0; i < edges.size(); i++) {
            if (value < edges.get(i)) {
                return "[" + (i == 0 ? "-inf" : fmt(edges.get(i - 1))) + ", " + fmt(edges.get(i)) + ")";
            }
        }
        return "[" + fmt(edges.get(edges.size() - 1)) + ", inf)";
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format(Locale.ROOT, "%s", d);
    }
}
