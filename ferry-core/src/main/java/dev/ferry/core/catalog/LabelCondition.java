package dev.ferry.core.catalog;

/** The compare part of a label compare-and-set. */
public sealed interface LabelCondition {
    /** Move whatever the label names now. */
    record Any() implements LabelCondition {}

    /** Only create: the label must not exist yet. */
    record Absent() implements LabelCondition {}

    /** Only move if the label names this bundle now. */
    record PointsTo(String bundleId) implements LabelCondition {}

    LabelCondition ANY = new Any();
    LabelCondition ABSENT = new Absent();

    static LabelCondition pointsTo(String bundleId) {
        return new PointsTo(bundleId);
    }
}
