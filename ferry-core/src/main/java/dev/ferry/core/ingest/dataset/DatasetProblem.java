package dev.ferry.core.ingest.dataset;

/** A problem that stops the checks of a dataset at once (an unreadable records file, say). */
final class DatasetProblem extends RuntimeException {
    DatasetProblem(String message) {
        super(message, null, false, false);
    }
}
