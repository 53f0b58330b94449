package dev.ferry.core.api;

/** Test access to the image encoder of the dataset builder. */
final class DatasetBuilderAccess {
    private DatasetBuilderAccess() {}

    static byte[] jpeg(int width, int height, int seed) {
        return dev.ferry.core.ingest.dataset.DatasetBuilder.jpeg(width, height, seed);
    }
}
