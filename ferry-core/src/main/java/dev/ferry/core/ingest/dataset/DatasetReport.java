package dev.ferry.core.ingest.dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the checks of a dataset folder found. Problems of one kind that many records share (missing
 * files, wrong sizes, ...) are grouped: the first few offenders are named, with the count.
 */
public final class DatasetReport {
    /** How many offenders of one kind are named before "(+N more)". */
    static final int NAMED = 5;

    public enum Severity { ERROR, NOTE }

    /** One line of the report: an error stops the ingestion, a note does not. */
    public record Finding(Severity severity, String message, List<String> offenders, long count) {
        public String format() {
            if (offenders.isEmpty()) {
                return message;
            }
            String more = count > offenders.size() ? ", ... (+" + (count - offenders.size()) + " more)" : "";
            return message + ": " + String.join(", ", offenders) + more;
        }
    }

    private final Map<String, Group> groups = new LinkedHashMap<>();
    private long records;
    private long files;
    private final List<String> labels = new ArrayList<>();

    private static final class Group {
        final Severity severity;
        final String message;
        final List<String> named = new ArrayList<>();
        long count;

        Group(Severity severity, String message) {
            this.severity = severity;
            this.message = message;
        }
    }

    /** A problem of a dataset as a whole ("labels.csv has no data rows"). */
    public synchronized void error(String message) {
        groups.computeIfAbsent(message, m -> new Group(Severity.ERROR, m)).count++;
    }

    public synchronized void note(String message) {
        groups.computeIfAbsent(message, m -> new Group(Severity.NOTE, m)).count++;
    }

    /** One offender of a kind of error: {@code kind} is the shared message, {@code who} names it. */
    public synchronized void offender(String kind, String who) {
        add(Severity.ERROR, kind, who);
    }

    public synchronized void noted(String kind, String who) {
        add(Severity.NOTE, kind, who);
    }

    private void add(Severity severity, String kind, String who) {
        Group g = groups.computeIfAbsent(kind, m -> new Group(severity, m));
        if (g.named.size() < NAMED) {
            g.named.add(who);
        }
        g.count++;
    }

    public synchronized void counted(long records, long files) {
        this.records = records;
        this.files = files;
    }

    public synchronized void labels(List<String> distinct) {
        labels.clear();
        labels.addAll(distinct);
    }

    public synchronized List<Finding> findings() {
        List<Finding> out = new ArrayList<>();
        for (Group g : groups.values()) {
            out.add(new Finding(g.severity, g.message, List.copyOf(g.named), g.count));
        }
        return out;
    }

    public synchronized boolean hasErrors() {
        return groups.values().stream().anyMatch(g -> g.severity == Severity.ERROR);
    }

    public synchronized long errorCount() {
        return groups.values().stream().filter(g -> g.severity == Severity.ERROR).mapToLong(g -> g.count).sum();
    }

    public synchronized long records() {
        return records;
    }

    public synchronized long files() {
        return files;
    }

    public synchronized List<String> distinctLabels() {
        return List.copyOf(labels);
    }
}
