package dev.ferry.cli;

import dev.ferry.core.ingest.ConfigFlags;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The config flags shared by `ingest validate` and `dataset push`: the same config object as a YAML file. */
final class ConfigFlagOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Ingest config (YAML or JSON); flags override its values.")
    Path config;

    @Option(names = {"--table", "--name"}, description = "Dataset name (letters, digits, _).")
    String table;

    @Option(names = {"--category", "--task"}, description = "Dataset category, e.g. image_classification, tabular_regression.")
    String category;

    @Option(names = "--intent", description = "train (the default without --config) or test.")
    String intent;

    @Option(names = "--csv", paramLabel = "FILE", description = "The records file, CSV (default: labels.csv; for tabular data the folder's one CSV).")
    String csv;

    @Option(names = "--json", paramLabel = "FILE", description = "The records file, JSON (an array, or one object per line).")
    String json;

    @Option(names = "--label-column", paramLabel = "COLUMN", description = "The label column.")
    String labelColumn;

    @Option(names = "--label-policy", paramLabel = "POLICY", description = "passthrough or bucket (tabular_regression's default: bucket).")
    String labelPolicy;

    @Option(names = "--buckets", split = ",", paramLabel = "EDGES", description = "Bucket edges for --label-policy bucket, e.g. 10,100,1000 (default: the data's deciles).")
    List<Double> buckets;

    @Option(names = "--target-size", paramLabel = "WxH", description = "Every image must be exactly this size, e.g. 256x256.")
    String targetSize;

    @Option(names = "--min-size", paramLabel = "WxH", description = "Every image must be at least this size.")
    String minSize;

    @Option(names = "--extension", paramLabel = "EXT", description = "The one extension of the data files: .jpg, .jpeg, .png, .txt, .text or .xml.")
    String extension;

    @Option(names = "--schema", paramLabel = "COL:TYPE,...", description = "Columns and SQL types, e.g. age:INT,city:VARCHAR(64) (tabular and time series: inferred from the data when not given).")
    String schema;

    @Option(names = "--time-column", paramLabel = "COLUMN", description = "Time column (time series: timestamp; time to event: time).")
    String timeColumn;

    @Option(names = "--number-of-keypoints", paramLabel = "N", description = "Keypoints per object (keypoint detection).")
    Integer numberOfKeypoints;

    @Option(names = "--data-id", paramLabel = "STRATEGY", description = "uuid, content_hash or column:NAME.")
    String dataId;

    /**
     * The dataset a command names: its PATH, or with neither PATH nor --config, the --csv file (a
     * one-file dataset), as the user's shell sees it.
     */
    Path dataset(CliContext ctx, Path path) {
        return path == null && config == null && csv != null ? ctx.path(csv) : path;
    }

    ConfigFlags flags() {
        return new ConfigFlags(table, category, intent, labelColumn, labelPolicy, buckets, targetSize, minSize, extension,
                schema, timeColumn, numberOfKeypoints, dataId, csv, json);
    }
}
