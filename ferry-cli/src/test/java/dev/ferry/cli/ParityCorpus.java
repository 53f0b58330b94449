package dev.ferry.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Writes the parity corpus ({@code src/test/resources/parity}): tiny datasets and configs shaped as
 * the ingest.v1 reference describes (../shared/reference/ingest-v1.md), a good one and a bad twin for
 * every rule of its §3 and every config rule of its §1, each with the verdict it must get and a word
 * its message must name. {@link ParityCorpusTest} runs every case through the CLI's preflight and
 * pushes every good dataset end to end.
 *
 * <p>Regenerate after changing a case: {@code scripts/parity-corpus} (runs {@link #main} with the
 * corpus folder). Every file is made here; nothing is copied from another project.
 */
final class ParityCorpus {
    /** One case: a folder with case.yaml and the files it checks. */
    static final class Case {
        final String name;
        final String rule;
        String verdict = "ok";
        String word = "";
        String target = "data";
        String config;
        List<String> flags = new ArrayList<>();
        Integer rows;
        List<String> columns;
        final Map<String, byte[]> files = new LinkedHashMap<>();
        final Map<String, String> links = new LinkedHashMap<>();

        Case(String name, String rule) {
            this.name = name;
            this.rule = rule;
        }

        Case refused(String word) {
            verdict = "refused";
            this.word = word;
            return this;
        }

        Case ok(int rows, String... columns) {
            verdict = "ok";
            this.rows = rows;
            this.columns = List.of(columns);
            return this;
        }

        Case names(String word) {
            this.word = word;
            return this;
        }

        Case flags(String... f) {
            flags = new ArrayList<>(List.of(f));
            return this;
        }

        Case addFlags(String... f) {
            flags.addAll(List.of(f));
            return this;
        }

        Case target(String t) {
            target = t;
            return this;
        }

        Case config(String path, String yaml) {
            config = path;
            return text(path, yaml);
        }

        Case text(String path, String content) {
            files.put(path, content.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Case bytes(String path, byte[] content) {
            files.put(path, content);
            return this;
        }

        Case remove(String path) {
            files.remove(path);
            return this;
        }

        Case link(String path, String target) {
            links.put(path, target);
            return this;
        }

        String text(String path) {
            return new String(files.get(path), StandardCharsets.UTF_8);
        }
    }

    private final List<Case> cases = new ArrayList<>();

    private Case add(String name, String rule, Consumer<Case> shape) {
        Case c = new Case(String.format("%03d-%s", cases.size() + 1, name), rule);
        shape.accept(c);
        cases.add(c);
        return c;
    }

    /** The table a case pushes to: unique per case, so one store holds them all. */
    static String table(Case c) {
        return "c" + c.name.substring(0, 3);
    }

    // ------------------------------------------------------------------ data

    static byte[] image(int width, int height, int seed, String format) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(0x203040 + seed * 0x1f2f3f & 0xFFFFFF));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        g.drawLine(0, seed % height, width, height - 1);
        g.dispose();
        return encode(img, format);
    }

    static byte[] jpeg(int width, int height, int seed) {
        return image(width, height, seed, "jpg");
    }

    /** A segmentation mask: grayscale class ids (0 background, 1 below the diagonal). */
    static byte[] mask(int width, int height, int type) {
        BufferedImage img = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.getRaster().setSample(x, y, 0, x > y ? 1 : 0);
            }
        }
        return encode(img, "png");
    }

    private static byte[] encode(BufferedImage img, String format) {
        return dev.ferry.core.ingest.dataset.DatasetBuilder.write(img, format);
    }

    /** A PNG that declares {@code width x height} pixels and holds almost none: a decompression bomb's header. */
    static byte[] bombPng(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static String voc(String file, int width, int height, String... objects) {
        return dev.ferry.core.ingest.dataset.DatasetBuilder.vocXml(file, width, height, objects);
    }

    static String lines(String... l) {
        return String.join("\n", l) + "\n";
    }

    static final String[] BASE = {"data_id", "filename", "extension", "label", "data_intent"};

    static String[] columns(String... extra) {
        String[] out = Arrays.copyOf(BASE, BASE.length + extra.length);
        System.arraycopy(extra, 0, out, BASE.length, extra.length);
        return out;
    }

    private static String[] flags(String category, String... more) {
        List<String> f = new ArrayList<>(List.of("--category", category, "--intent", "train"));
        f.addAll(List.of(more));
        return f.toArray(String[]::new);
    }

    // ------------------------------------------------------------------ the good shape of each category

    /** image_classification: 2 cats and 2 dogs (32x32 .jpeg), 3 rows each as the canonical sample repeats them. */
    static void pets(Case c) {
        List<String> rows = new ArrayList<>(List.of("filename,label"));
        for (int r = 0; r < 3; r++) {
            for (String n : List.of("cat1", "cat2", "dog1", "dog2")) {
                rows.add(n + ".jpeg," + n.substring(0, 3));
            }
        }
        int seed = 0;
        for (String n : List.of("cat1", "cat2", "dog1", "dog2")) {
            c.bytes("data/images/" + n + ".jpeg", jpeg(32, 32, ++seed));
        }
        c.text("data/labels.csv", String.join("\n", rows)); // no trailing newline, as the canonical sample
        c.flags(flags("image_classification", "--label-column", "label"));
    }

    /** object_detection: two 48x32 images with VOC annotations; labels come from the XML. */
    static void detection(Case c) {
        c.bytes("data/images/street1.jpg", jpeg(48, 32, 1)).bytes("data/images/street2.jpg", jpeg(48, 32, 2));
        c.text("data/annotations/street1.xml", voc("street1.jpg", 48, 32, "car 1 1 20 20", "person 30 5 40 30"));
        c.text("data/annotations/street2.xml", voc("street2.jpg", 48, 32, "car 0 0 10 10"));
        c.text("data/labels.csv", lines("filename", "street1.jpg", "street2.jpg"));
        c.flags(flags("object_detection", "--label-column", "label"));
    }

    /** keypoint_detection: two 48x48 images, Annotation and Visibility per row, 2 keypoints. */
    static void keypoints(Case c) {
        c.bytes("data/images/pose1.jpg", jpeg(48, 48, 1)).bytes("data/images/pose2.jpg", jpeg(48, 48, 2));
        c.text("data/labels.csv", lines("filename,label,Annotation,Visibility",
                "pose1.jpg,person,\"{\"\"nose\"\": [10, 12], \"\"tail\"\": [40, 40]}\",\"{\"\"nose\"\": 2, \"\"tail\"\": 1}\"",
                "pose2.jpg,person,\"{\"\"nose\"\": [20, 5.5], \"\"tail\"\": [0, 0]}\",\"{\"\"nose\"\": 2, \"\"tail\"\": 0}\""));
        c.flags(flags("keypoint_detection", "--label-column", "label", "--number-of-keypoints", "2", "--target-size", "48x48"));
    }

    /** semantic_segmentation: two 32x32 images, masks/<stem>_mask.png named by mask_id. */
    static void segmentation(Case c) {
        c.bytes("data/images/road1.jpg", jpeg(32, 32, 1)).bytes("data/images/road2.jpg", jpeg(32, 32, 2));
        c.bytes("data/masks/road1_mask.png", mask(32, 32, BufferedImage.TYPE_BYTE_GRAY));
        c.bytes("data/masks/road2_mask.png", mask(32, 32, BufferedImage.TYPE_BYTE_GRAY));
        c.text("data/labels.csv", lines("filename,mask_id,label", "road1.jpg,road1_mask.png,road", "road2.jpg,road2_mask,road"));
        c.flags(flags("semantic_segmentation", "--label-column", "label"));
    }

    static void reviews(Case c) {
        c.text("data/texts/r1.txt", "A wonderful film, I loved it.\n").text("data/texts/r2.txt", "Dull and far too long.\n")
                .text("data/texts/r3.txt", "Great acting.\n");
        c.text("data/labels.csv", lines("filename,label", "r1.txt,positive", "r2,negative", "r3.txt,positive"));
        c.flags(flags("text_classification", "--label-column", "label"));
    }

    static void entities(Case c) {
        c.text("data/texts/s1.txt", "John lives in Berlin\n").text("data/texts/s2.txt", "Acme hired Mary Smith\n");
        c.text("data/labels.csv", lines("filename,tags", "s1.txt,B-PER O O B-LOC", "s2.txt,B-ORG O B-PER I-PER"));
        c.flags(flags("token_classification", "--label-column", "tags"));
    }

    static void pairs(Case c) {
        c.text("data/texts/p1.txt", "A man is eating.\tSomeone eats.\n").text("data/texts/p2.txt", "It is raining.\tThe sun shines.\n");
        c.text("data/labels.csv", lines("filename,label", "p1.txt,entailment", "p2.txt,contradiction"));
        c.flags(flags("sentence_pair_classification", "--label-column", "label"));
    }

    static void sequences(Case c) {
        c.text("data/sequences/q1.txt", "the cat sat on the mat\n").text("data/sequences/q2.txt", "a dog ran in the park\n");
        c.text("data/labels.csv", lines("filename", "q1.txt", "q2.txt"));
        c.flags(flags("masked_language_modeling"));
    }

    static void corpus(Case c) {
        c.text("data/texts/c1.txt", "Once upon a time there was a ferry.\n")
                .text("data/texts/c2.txt", "Translate: hello\tbonjour\n");
        c.text("data/labels.csv", lines("filename", "c1.txt", "c2.txt"));
        c.flags(flags("causal_language_modeling"));
    }

    static void translations(Case c) {
        c.text("data/texts/t1.txt", "good morning\tguten Morgen\n").text("data/texts/t2.txt", "thank you\tdanke\n");
        c.text("data/labels.csv", lines("filename", "t1.txt", "t2.txt"));
        c.flags(flags("seq2seq"));
    }

    static void embeddings(Case c) {
        c.text("data/texts/e1.txt", "how do I reset it\treset the password\n")
                .text("data/texts/e2.txt", "cheap flights\tlow-cost airfare\tgarden tools\n");
        c.text("data/labels.csv", lines("filename", "e1.txt", "e2.txt"));
        c.flags(flags("embeddings"));
    }

    /** tabular_classification: one CSV of any name; the schema is inferred from it. */
    static void customers(Case c) {
        c.text("data/customers.csv", lines("age,income,city,churned", "34,52000.5,Oslo,no", "51,61000,Rome,yes",
                "29,38000,Lima,no", "45,NA,Oslo,yes"));
        c.flags(flags("tabular_classification", "--label-column", "churned"));
    }

    static void houses(Case c) {
        c.text("data/houses.csv", lines("rooms,area,price", "3,80.5,250000", "2,55,180000", "5,140,610000", "4,99,390000"));
        c.flags(flags("tabular_regression", "--label-column", "price"));
    }

    static void load(Case c) {
        c.text("data/load.csv", lines("timestamp,temperature,load", "2024-01-01 00:00:00,3.5,120.5",
                "2024-01-01 01:00:00,3.1,118", "2024-01-01 02:00:00,2.8,117.25"));
        c.flags(flags("time_series_forecasting", "--label-column", "load"));
    }

    static void activity(Case c) {
        c.text("data/activity.csv", lines("sequence_id,timestamp,x,y,label", "s1,0,0.1,0.2,walk", "s1,1,0.2,0.3,walk",
                "none,0,1.5,1.1,run", "none,1,1.7,1.0,run", "s3,0,0.0,0.1,walk"));
        c.flags(flags("time_series_classification", "--label-column", "label"));
    }

    static void survival(Case c) {
        c.text("data/patients.csv", lines("time,event,age", "5.5,1,63", "12,0,57", "0,1,71"));
        c.flags(flags("time_to_event_prediction", "--label-column", "event"));
    }

    /** The published config shape of a category: tracebloc.io/v1, absolute in-cluster paths. */
    static String published(String category, String name, String... lines) {
        StringBuilder y = new StringBuilder("apiVersion: tracebloc.io/v1\nkind: IngestConfig\ncategory: " + category
                + "\ntable: " + name + "\nintent: train\n");
        for (String l : lines) {
            y.append(l.replace("$", "/data/shared/" + name)).append('\n');
        }
        return y.toString();
    }

    // ------------------------------------------------------------------ the corpus

    List<Case> build() {
        configRules();
        imageRules();
        detectionRules();
        keypointRules();
        segmentationRules();
        textRules();
        tabularRules();
        timeSeriesRules();
        pathRules();
        return cases;
    }

    private void configRules() {
        String[][] shapes = {
            {"image_classification", "csv: $/labels.csv", "images: $/images/", "label: label"},
            {"object_detection", "csv: $/labels.csv", "images: $/images/", "annotations: $/annotations/", "label: label"},
            {"keypoint_detection", "csv: $/labels.csv", "images: $/images/", "label: label", "target_size: [256, 256]",
                "number_of_keypoints: 17"},
            {"semantic_segmentation", "csv: $/labels.csv", "images: $/images/", "masks: $/masks/", "label: label"},
            {"text_classification", "csv: $/labels.csv", "texts: $/texts/", "label: label", "schema: {source: VARCHAR(64)}"},
            {"token_classification", "csv: $/labels.csv", "texts: $/texts/", "label: tags"},
            {"sentence_pair_classification", "csv: $/labels.csv", "texts: $/texts/", "label: label"},
            {"masked_language_modeling", "csv: $/labels.csv", "sequences: $/sequences/"},
            {"causal_language_modeling", "csv: $/labels.csv", "texts: $/texts/"},
            {"seq2seq", "csv: $/labels.csv", "texts: $/texts/"},
            {"embeddings", "csv: $/labels.csv", "texts: $/texts/"},
            {"tabular_classification", "csv: $/train.csv", "label: churned", "schema: {age: INT, income: \"DECIMAL(10,2)\", city: VARCHAR}"},
            {"tabular_regression", "csv: $/houses.csv", "label: {column: price, policy: bucket}",
                "schema: {rooms: INT(11), area: FLOAT, built: DATE}"},
            {"time_series_forecasting", "csv: $/load.csv", "label: {column: load, policy: passthrough}",
                "schema: {timestamp: TIMESTAMP, temperature: DOUBLE}"},
            {"time_series_classification", "csv: $/activity.csv", "label: label",
                "schema: {sequence_id: VARCHAR(16), timestamp: INT, x: FLOAT}"},
            {"time_to_event_prediction", "csv: $/patients.csv", "time_column: time", "label: {column: event, policy: passthrough}",
                "schema: {time: FLOAT, age: MEDIUMINT, notes: LONGBLOB}"},
        };
        for (String[] shape : shapes) {
            add("config-" + shape[0], "§1: the published config shape of " + shape[0] + " (tracebloc.io/v1, absolute paths)",
                    c -> c.config("ingest.yaml", published(shape[0], "c" + (cases.size() + 1), Arrays.copyOfRange(shape, 1,
                            shape.length))).target("ingest.yaml").flags());
        }
        String ic = published("image_classification", "pets", "csv: $/labels.csv", "images: $/images/", "label: label");
        bad("config-apiversion", "§1: apiVersion is tracebloc.io/v1 (or ferry.dev/v1)", "apiVersion",
                ic.replace("tracebloc.io/v1", "tracebloc.io/v2"));
        bad("config-kind", "§1: kind is IngestConfig", "kind", ic.replace("kind: IngestConfig", "kind: Config"));
        bad("config-no-category", "§1: category is required", "category", ic.replace("category: image_classification\n", ""));
        bad("config-unknown-category", "§1: category is one of the 16", "category",
                ic.replace("image_classification", "image_tagging"));
        bad("config-no-table", "§1: table is required", "table", ic.replace("table: pets\n", ""));
        bad("config-empty-table", "§1: table is a non-empty string", "table", ic.replace("table: pets", "table: \"\""));
        bad("config-no-intent", "§1: intent is required", "intent", ic.replace("intent: train\n", ""));
        bad("config-intent", "§1: intent is train or test", "intent", ic.replace("intent: train", "intent: validation"));
        bad("config-csv-and-json", "§1: exactly one of csv / json", "json", ic + "json: /data/shared/pets/labels.json\n");
        bad("config-no-records", "§1: exactly one of csv / json", "csv", ic.replace("csv: /data/shared/pets/labels.csv\n", ""));
        bad("config-empty-sidecar", "§1: sidecar folders are non-empty strings", "images",
                ic.replace("images: /data/shared/pets/images/", "images: \"\""));
        bad("config-label-object", "§1: label is a column or {column, policy}", "column",
                ic.replace("label: label", "label: {policy: passthrough}"));
        bad("config-label-policy", "§1: policy is passthrough or bucket", "policy",
                ic.replace("label: label", "label: {column: label, policy: round}"));
        String tab = published("tabular_regression", "houses", "csv: $/houses.csv", "label: {column: price, policy: bucket}",
                "schema: {rooms: INT}");
        add("config-bucket-without-buckets", "§1: a bucket label needs no buckets", c -> c.config("ingest.yaml", tab)
                .target("ingest.yaml"));
        bad("config-schema-empty", "§1: schema has at least one entry", "schema", tab.replace("schema: {rooms: INT}", "schema: {}"));
        bad("config-schema-type", "§1: schema types are the ingestor's SQL types", "SQL type",
                tab.replace("rooms: INT", "rooms: STRING"));
        bad("config-target-size", "§1: target_size is two integers >= 1", "target_size", ic + "target_size: [0, 256]\n");
        bad("config-target-size-shape", "§1: target_size is [w, h]", "target_size", ic + "target_size: [256]\n");
        String kp = published("keypoint_detection", "poses", "csv: $/labels.csv", "images: $/images/", "label: label",
                "target_size: [256, 256]", "number_of_keypoints: 17");
        bad("config-keypoints-count", "§1: number_of_keypoints is an integer >= 1", "number_of_keypoints",
                kp.replace("number_of_keypoints: 17", "number_of_keypoints: 0"));
        bad("config-data-id-column", "§1: data_id strategy column needs its column", "column",
                ic + "data_id: {strategy: column}\n");
        bad("config-data-id-strategy", "§1: data_id strategy is uuid, column or content_hash", "strategy",
                ic + "data_id: {strategy: serial}\n");
        add("config-csv-options", "§1: spec.csv_options", c -> c.config("ingest.yaml", ic
                + "spec:\n  csv_options: {chunk_size: 500, delimiter: \";\", quotechar: \"'\", escapechar: \"\\\\\"}\n")
                .target("ingest.yaml"));
        bad("config-csv-delimiter", "§1: csv_options.delimiter is one character", "delimiter",
                ic + "spec:\n  csv_options: {delimiter: \";;\"}\n");
        add("config-file-options-open", "§1: file_options is open (other keys allowed), extension .jpeg",
                c -> c.config("ingest.yaml", ic + "spec:\n  file_options: {extension: .jpeg, min_size: [64, 64], resize: bilinear}\n")
                        .target("ingest.yaml"));
        bad("config-file-options-extension", "§1: file_options.extension is .jpg .jpeg .png .txt .text .xml", "extension",
                ic + "spec:\n  file_options: {extension: .gif}\n");
        add("config-spec-ignored", "§1: validators, sidecars, processors are accepted and ignored (with a note)",
                c -> c.config("ingest.yaml", ic + "spec:\n  validators: [image_size]\n  processors: {resize: true}\n")
                        .target("ingest.yaml").names("ignored"));
        bad("config-unknown-key", "§1: no other top-level keys", "owner", ic + "owner: ada\n");
        bad("config-images-required", "§1: images required (image categories)", "images",
                ic.replace("images: /data/shared/pets/images/\n", ""));
        bad("config-annotations-required", "§1: annotations required (object detection)", "annotations",
                published("object_detection", "cars", "csv: $/labels.csv", "images: $/images/", "label: label"));
        bad("config-masks-required", "§1: masks required (semantic segmentation)", "masks",
                published("semantic_segmentation", "roads", "csv: $/labels.csv", "images: $/images/", "label: label"));
        bad("config-texts-required", "§1: texts required (text categories)", "texts",
                published("text_classification", "reviews", "csv: $/labels.csv", "label: label"));
        bad("config-sequences-required", "§1: sequences required (masked language modeling)", "sequences",
                published("masked_language_modeling", "corpus", "csv: $/labels.csv", "texts: $/texts/"));
        bad("config-schema-required", "§1: schema required (tabular, time series, time to event)", "schema",
                published("tabular_classification", "customers", "csv: $/train.csv", "label: churned"));
        bad("config-sequence-schema", "§1: time_series_classification's schema declares sequence_id and timestamp",
                "sequence_id", published("time_series_classification", "activity", "csv: $/activity.csv", "label: label",
                        "schema: {timestamp: INT, x: FLOAT}"));
        bad("config-forecast-timestamp", "§3: time_series_forecasting's schema has timestamp typed TIMESTAMP", "TIMESTAMP",
                published("time_series_forecasting", "load", "csv: $/load.csv", "label: {column: load, policy: passthrough}",
                        "schema: {timestamp: INT}"));
        bad("config-label-object-form", "§1: regression-like categories need label {column, policy}", "label",
                tab.replace("label: {column: price, policy: bucket}", "label: price"));
        bad("config-label-needs-policy", "§1: the object form has a policy", "policy",
                tab.replace("label: {column: price, policy: bucket}", "label: {column: price}"));
        bad("config-keypoints-target-size", "§1: keypoint_detection needs target_size", "target_size",
                kp.replace("target_size: [256, 256]\n", ""));
        add("config-keypoints-file-target-size", "§1: keypoint_detection's target_size may be in spec.file_options",
                c -> c.config("ingest.yaml", kp.replace("target_size: [256, 256]\n", "")
                        + "spec:\n  file_options: {target_size: [256, 256]}\n").target("ingest.yaml"));
        bad("config-keypoints-number", "§1: keypoint_detection needs number_of_keypoints", "number_of_keypoints",
                kp.replace("number_of_keypoints: 17\n", ""));
        bad("config-label-required", "§1: label required (object detection)", "label",
                published("object_detection", "cars", "csv: $/labels.csv", "images: $/images/", "annotations: $/annotations/"));
        bad("config-label-forbidden", "§1: label forbidden (causal language modeling is self-supervised)", "self-supervised",
                published("causal_language_modeling", "stories", "csv: $/labels.csv", "texts: $/texts/", "label: label"));
        bad("config-text-schema-filename", "§3: text_classification must not declare filename or label in schema",
                "filename", published("text_classification", "reviews", "csv: $/labels.csv", "texts: $/texts/",
                        "label: label", "schema: {filename: VARCHAR(64)}"));
        add("config-unrelated-sidecar", "a key that does not apply to the category is ignored with a note",
                c -> c.config("ingest.yaml", ic + "masks: /data/shared/pets/masks/\n").target("ingest.yaml")
                        .names("does not apply"));
    }

    private void bad(String name, String rule, String word, String yaml) {
        add(name, rule, c -> c.config("ingest.yaml", yaml).target("ingest.yaml").refused(word));
    }

    private void imageRules() {
        add("image-classification", "§3: image_classification, the canonical shape (rows repeat images)", c -> {
            pets(c);
            c.ok(12, BASE).names("named by several rows");
        });
        add("image-classification-config", "§1/§2: the published config with absolute paths, pushed with its dataset folder",
                c -> {
                    pets(c);
                    c.config("ingest.yaml", published("image_classification", "pets", "csv: $/labels.csv", "images: $/images/",
                            "label: label").replace("table: pets", "table: " + table(c))).flags().ok(12, BASE)
                            .names("in the dataset folder");
                });
        add("image-filename-column", "§3: the filename column is exactly `filename`", c -> {
            pets(c);
            c.text("data/labels.csv", c.text("data/labels.csv").replace("filename,label", "Filename,label")).refused("filename");
        });
        add("image-label-column-loose", "§3: the label column matches ignoring case and surrounding spaces", c -> {
            pets(c);
            c.text("data/labels.csv", c.text("data/labels.csv").replace("filename,label", "filename, Label ")).ok(12, BASE);
        });
        add("image-label-column-missing", "§3: the label column must exist", c -> {
            pets(c);
            c.text("data/labels.csv", c.text("data/labels.csv").replace("filename,label", "filename,species"))
                    .refused("label column");
        });
        add("image-empty-label", "§3: an empty label cell is allowed", c -> {
            pets(c);
            c.text("data/labels.csv", c.text("data/labels.csv") + "\ncat1.jpeg,").ok(13, BASE).names("empty label");
        });
        add("image-extension-appended", "§3: filenames may omit the extension; dotted stems are fine", c -> {
            pets(c);
            c.bytes("data/images/photo.2024.jpeg", jpeg(32, 32, 9));
            c.text("data/labels.csv", c.text("data/labels.csv").replace("cat1.jpeg", "cat1") + "\nphoto.2024,cat").ok(13, BASE);
        });
        add("image-absolute-name", "§3: absolute names are refused per record", c -> {
            pets(c);
            c.text("data/labels.csv", c.text("data/labels.csv") + "\n/etc/passwd,cat").refused("absolute");
        });
        add("image-dotdot-name", "§3: names with .. are refused per record", c -> {
            pets(c);
            c.text("data/labels.csv", c.text("data/labels.csv") + "\n../labels.csv,cat").refused("'..'");
        });
        add("image-one-extension", "§3: one extension per folder", c -> {
            pets(c);
            c.bytes("data/images/dog3.png", image(32, 32, 5, "png"));
            c.text("data/labels.csv", c.text("data/labels.csv") + "\ndog3.png,dog").refused("one extension per folder");
        });
        add("image-unlisted-note", "§3: images no row lists are a note", c -> {
            pets(c);
            c.bytes("data/images/extra.jpeg", jpeg(32, 32, 7)).ok(12, BASE).names("no row names");
        });
        add("image-missing-file", "§3: a row whose file is missing is an error", c -> {
            pets(c);
            c.text("data/labels.csv", c.text("data/labels.csv") + "\ncat9.jpeg,cat").refused("does not exist");
        });
        add("image-corrupt", "§3: every image decodes", c -> {
            pets(c);
            byte[] b = jpeg(32, 32, 1);
            Arrays.fill(b, 2, b.length - 2, (byte) 0x55);
            c.bytes("data/images/cat1.jpeg", b).refused("cannot be used");
        });
        add("image-truncated", "§3: every image decodes (a truncated file)", c -> {
            pets(c);
            byte[] b = jpeg(32, 32, 1);
            c.bytes("data/images/cat2.jpeg", Arrays.copyOf(b, b.length - 20)).refused("truncated");
        });
        add("image-one-size", "§3: one size (the first image's)", c -> {
            pets(c);
            c.bytes("data/images/dog2.jpeg", jpeg(40, 32, 4)).refused("not 32x32");
        });
        add("image-target-size", "§3: one size (target_size)", c -> {
            pets(c);
            c.addFlags("--target-size", "64x64").refused("not 64x64");
        });
        add("image-min-size", "§3/§4: the minimum size is 32x32 (a dataset of 16x16 images is refused)", c -> {
            pets(c);
            for (String n : List.of("cat1", "cat2", "dog1", "dog2")) c.bytes("data/images/" + n + ".jpeg", jpeg(16, 16, 3));
            c.refused("smaller than the minimum 32x32");
        });
        add("image-min-size-flag", "§2: --min-size overrides the minimum", c -> {
            pets(c);
            for (String n : List.of("cat1", "cat2", "dog1", "dog2")) c.bytes("data/images/" + n + ".jpeg", jpeg(16, 16, 3));
            c.addFlags("--min-size", "16x16").ok(12, BASE);
        });
        add("image-two-labels", "§3: at least 2 distinct labels", c -> {
            pets(c);
            c.text("data/labels.csv", c.text("data/labels.csv").replace(",dog", ",cat")).refused("distinct label");
        });
        add("image-wrong-format", "§6: a file whose bytes are another format than its extension (JPEG named .png)", c -> {
            pets(c);
            c.remove("data/images/dog2.jpeg");
            c.bytes("data/images/dog2.png", jpeg(32, 32, 4)).addFlags("--extension", ".png");
            c.text("data/labels.csv", lines("filename,label", "dog2.png,dog"));
            c.refused("bytes are JPEG");
        });
        add("image-bomb", "§6: an image declaring more pixels than the limit (decompression bomb)", c -> {
            pets(c);
            c.remove("data/images/dog2.jpeg");
            c.bytes("data/images/dog2.png", bombPng(30000, 30000)).addFlags("--extension", ".png");
            c.text("data/labels.csv", lines("filename,label", "dog2.png,dog", "dog2.png,cat"));
            c.refused("decompression bomb");
        });
        add("image-control-label", "§6: control characters in a label", c -> {
            pets(c);
            c.text("data/labels.csv", c.text("data/labels.csv") + "\ncat1.jpeg,\"ca\u0007t\"").refused("control character");
        });
        add("image-control-name", "§6: control characters in a file name", c -> {
            pets(c);
            c.text("data/labels.csv", c.text("data/labels.csv") + "\n\"cat\u00011.jpeg\",cat").refused("control character");
        });
        add("image-nul-cell", "§6: a NUL character in a cell", c -> {
            pets(c);
            c.text("data/labels.csv", c.text("data/labels.csv") + "\ncat1.jpeg,c\u0000at").refused("NUL");
        });
        add("image-long-label", "§6: a label over the documented limit (1,024 characters)", c -> {
            pets(c);
            c.text("data/labels.csv", c.text("data/labels.csv") + "\ncat1.jpeg," + "x".repeat(5000)).refused("1,024");
        });
        add("image-symlink-leaves", "§6: a symbolic link inside the dataset that leaves it", c -> {
            pets(c);
            c.link("data/images/leak.jpeg", "/etc/passwd").refused("symbolic links that leave");
        });
        add("image-json-records", "§1: json: records (an array of objects)", c -> {
            pets(c);
            c.remove("data/labels.csv");
            c.text("data/records.json", "[{\"filename\": \"cat1.jpeg\", \"label\": \"cat\"}, {\"filename\": \"dog1.jpeg\","
                    + " \"label\": \"dog\"}]");
            c.addFlags("--json", "records.json").ok(2, BASE);
        });
        add("image-latin1-records", "§3: the records file is UTF-8", c -> {
            pets(c);
            c.bytes("data/labels.csv", "filename,label\ncat1.jpeg,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1))
                    .refused("UTF-8");
        });
    }

    private void detectionRules() {
        add("detection", "§3: object_detection, labels from the VOC annotations (the config still names a label)", c -> {
            detection(c);
            c.ok(2, columns("annotation", "objects"));
        });
        add("detection-label-column", "§3: object_detection with a label column in the records", c -> {
            detection(c);
            c.text("data/labels.csv", lines("filename,label", "street1.jpg,busy", "street2.jpg,quiet")).ok(2,
                    columns("annotation", "objects"));
        });
        add("detection-sizes", "§3: object_detection images may differ in size (each is checked with its annotation)",
                c -> {
                    detection(c);
                    c.bytes("data/images/street2.jpg", jpeg(64, 40, 2));
                    c.text("data/annotations/street2.xml", voc("street2.jpg", 64, 40, "car 0 0 60 10"));
                    c.ok(2, columns("annotation", "objects"));
                });
        add("detection-missing-xml", "§3: every image has its XML", c -> {
            detection(c);
            c.remove("data/annotations/street2.xml").refused("without their annotation");
        });
        add("detection-orphan-xml", "§3: every XML has its image (an orphan annotation is an error)", c -> {
            detection(c);
            c.text("data/annotations/street9.xml", voc("street9.jpg", 48, 32, "car 1 1 5 5")).refused("without their image");
        });
        add("detection-root", "§3: well-formed VOC: root annotation", c -> {
            detection(c);
            c.text("data/annotations/street2.xml", "<html><body/></html>").refused("<annotation>");
        });
        add("detection-malformed", "§3: well-formed XML", c -> {
            detection(c);
            c.text("data/annotations/street2.xml", "<annotation><object>").refused("not well-formed");
        });
        add("detection-box-number", "§3: a numeric bndbox", c -> {
            detection(c);
            c.text("data/annotations/street2.xml", voc("street2.jpg", 48, 32, "car 0 0 ten 10")).refused("not a number");
        });
        add("detection-box-outside", "§3: the box inside the image", c -> {
            detection(c);
            c.text("data/annotations/street2.xml", voc("street2.jpg", 48, 32, "car 0 0 60 10")).refused("outside");
        });
        add("detection-box-empty", "§3: min < max", c -> {
            detection(c);
            c.text("data/annotations/street2.xml", voc("street2.jpg", 48, 32, "car 10 0 10 10")).refused("empty box");
        });
        add("detection-no-name", "§3: each object has a name", c -> {
            detection(c);
            c.text("data/annotations/street2.xml", voc("street2.jpg", 48, 32).replace("</annotation>",
                    "<object><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object></annotation>"))
                    .refused("no <name>");
        });
        add("detection-size", "§3: the annotation's size is its image's", c -> {
            detection(c);
            c.text("data/annotations/street2.xml", voc("street2.jpg", 64, 64, "car 0 0 10 10")).refused("<size>");
        });
    }

    private void keypointRules() {
        add("keypoints", "§3: keypoint_detection, Annotation and Visibility columns", c -> {
            keypoints(c);
            c.ok(2, columns("keypoints", "visibility"));
        });
        add("keypoints-no-visibility", "§3: keypoint_detection without a Visibility column", c -> {
            keypoints(c);
            c.text("data/labels.csv", lines("filename,label,Annotation", "pose1.jpg,person,\"{\"\"nose\"\": [10, 12], \"\"tail\"\": [40, 40]}\""))
                    .ok(1, columns("keypoints", "visibility"));
        });
        add("keypoints-no-annotation", "§3: the Annotation column is present", c -> {
            keypoints(c);
            c.text("data/labels.csv", lines("filename,label", "pose1.jpg,person")).refused("Annotation");
        });
        add("keypoints-not-json", "§3: Annotation parses as JSON", c -> {
            keypoints(c);
            c.text("data/labels.csv", lines("filename,label,Annotation", "pose1.jpg,person,nose=10/12")).refused("not JSON");
        });
        add("keypoints-count", "§3: Annotation has number_of_keypoints entries", c -> {
            keypoints(c);
            c.text("data/labels.csv", lines("filename,label,Annotation", "pose1.jpg,person,\"{\"\"nose\"\": [10, 12]}\""))
                    .refused("1 points");
        });
        add("keypoints-outside", "§3: points inside the image", c -> {
            keypoints(c);
            c.text("data/labels.csv", lines("filename,label,Annotation", "pose1.jpg,person,\"{\"\"nose\"\": [10, 12], \"\"tail\"\": [49, 40]}\""))
                    .refused("outside their image");
        });
        add("keypoints-visibility", "§3: visibility values are 0, 1 or 2", c -> {
            keypoints(c);
            c.text("data/labels.csv", lines("filename,label,Annotation,Visibility",
                    "pose1.jpg,person,\"{\"\"nose\"\": [10, 12], \"\"tail\"\": [40, 40]}\",\"{\"\"nose\"\": 3, \"\"tail\"\": 1}\""))
                    .refused("Visibility");
        });
    }

    private void segmentationRules() {
        add("segmentation", "§3: semantic_segmentation, masks/<stem>_mask.png named by mask_id", c -> {
            segmentation(c);
            c.ok(2, columns("mask"));
        });
        add("segmentation-no-mask-id", "§3: the mask_id column is present", c -> {
            segmentation(c);
            c.text("data/labels.csv", lines("filename,label", "road1.jpg,road")).refused("mask_id");
        });
        add("segmentation-mask-missing", "§3: every mask exists", c -> {
            segmentation(c);
            c.remove("data/masks/road2_mask.png").refused("without their mask");
        });
        add("segmentation-mask-name", "§3: masks are named <stem>_mask.png", c -> {
            segmentation(c);
            c.bytes("data/masks/road2.png", mask(32, 32, BufferedImage.TYPE_BYTE_GRAY));
            c.text("data/labels.csv", lines("filename,mask_id,label", "road1.jpg,road1_mask.png,road", "road2.jpg,road2.png,road"))
                    .refused("_mask.png");
        });
        add("segmentation-mask-png", "§3: every mask is PNG", c -> {
            segmentation(c);
            c.bytes("data/masks/road2_mask.png", jpeg(32, 32, 1)).refused("not PNG");
        });
        add("segmentation-mask-size", "§3: every mask has its image's size", c -> {
            segmentation(c);
            c.bytes("data/masks/road2_mask.png", mask(32, 40, BufferedImage.TYPE_BYTE_GRAY)).refused("size");
        });
    }

    private void textRules() {
        add("text-classification", "§3: text_classification, texts/*.txt and a label column", c -> {
            reviews(c);
            c.ok(3, BASE);
        });
        add("text-tokenizer", "§3: an optional tokenizer.json that holds [PAD]", c -> {
            reviews(c);
            c.text("data/tokenizer.json", "{\"added_tokens\": [{\"id\": 0, \"content\": \"[PAD]\"}], \"model\": {\"vocab\": {}}}")
                    .ok(3, BASE);
        });
        add("text-tokenizer-no-pad", "§3: tokenizer.json must hold [PAD]", c -> {
            reviews(c);
            c.text("data/tokenizer.json", "{\"added_tokens\": [{\"id\": 0, \"content\": \"<pad>\"}]}").refused("[PAD]");
        });
        add("text-missing-file", "§3: every listed text exists", c -> {
            reviews(c);
            c.remove("data/texts/r3.txt").refused("does not exist");
        });
        add("text-not-utf8", "§3: texts are UTF-8", c -> {
            reviews(c);
            c.bytes("data/texts/r2.txt", "caf\u00e9 cr\u00e8me\n".getBytes(StandardCharsets.ISO_8859_1)).refused("not UTF-8");
        });
        add("text-two-labels", "§3: text_classification needs at least 2 labels", c -> {
            reviews(c);
            c.text("data/labels.csv", c.text("data/labels.csv").replace("negative", "positive")).refused("distinct label");
        });
        add("tokens", "§3: token_classification, one IOB2 tag per token", c -> {
            entities(c);
            c.ok(2, BASE);
        });
        add("tokens-count", "§3: one tag per token", c -> {
            entities(c);
            c.text("data/labels.csv", lines("filename,tags", "s1.txt,B-PER O B-LOC", "s2.txt,B-ORG O B-PER I-PER"))
                    .refused("number of tags");
        });
        add("tokens-iob2", "§3: every tag is O, B-X or I-X", c -> {
            entities(c);
            c.text("data/labels.csv", lines("filename,tags", "s1.txt,B-PER O O L-LOC")).refused("IOB2");
        });
        add("pairs", "§3: sentence_pair_classification, text_a<TAB>text_b", c -> {
            pairs(c);
            c.ok(2, BASE);
        });
        add("pairs-fields", "§3: exactly two tab-separated fields", c -> {
            pairs(c);
            c.text("data/texts/p2.txt", "It is raining.\tThe sun shines.\tExtra.\n").refused("tab-separated");
        });
        add("pairs-two-labels", "§3: sentence pairs need at least 2 labels", c -> {
            pairs(c);
            c.text("data/labels.csv", lines("filename,label", "p1.txt,entailment", "p2.txt,entailment")).refused("distinct label");
        });
        add("masked-lm", "§3: masked_language_modeling, sequences/*.txt, no label", c -> {
            sequences(c);
            c.ok(2, BASE);
        });
        add("masked-lm-missing", "§3: every listed sequence file exists", c -> {
            sequences(c);
            c.text("data/labels.csv", lines("filename", "q1.txt", "q3.txt")).refused("does not exist");
        });
        add("causal-lm", "§3: causal_language_modeling, plain text or prompt<TAB>completion", c -> {
            corpus(c);
            c.ok(2, BASE);
        });
        add("causal-lm-label", "§1: causal_language_modeling takes no label", c -> {
            corpus(c);
            c.addFlags("--label-column", "label").refused("self-supervised");
        });
        add("seq2seq", "§3: seq2seq, source<TAB>target", c -> {
            translations(c);
            c.ok(2, BASE);
        });
        add("seq2seq-binary", "§3: texts are text (a NUL is not)", c -> {
            translations(c);
            c.bytes("data/texts/t2.txt", new byte[] {'a', 0, 'b', '\t', 'c'}).refused("NUL");
        });
        add("embeddings", "§3: embeddings, anchor<TAB>positive[<TAB>negative]", c -> {
            embeddings(c);
            c.ok(2, BASE);
        });
        add("embeddings-fields", "§3: embeddings have 2 or 3 tab-separated fields", c -> {
            embeddings(c);
            c.text("data/texts/e1.txt", "just one field\n").refused("tab-separated");
        });
        add("embeddings-four", "§3: embeddings have 2 or 3 tab-separated fields", c -> {
            embeddings(c);
            c.text("data/texts/e1.txt", "a\tb\tc\td\n").refused("4 tab-separated");
        });
    }

    private void tabularRules() {
        add("tabular", "§3: tabular_classification, one CSV of any name, schema inferred (nothing dropped)", c -> {
            customers(c);
            c.ok(4, columns("age", "income", "city")).names("schema inferred");
        });
        add("tabular-file-itself", "§2: a tabular dataset may be the CSV file itself", c -> {
            customers(c);
            c.target("data/customers.csv").ok(4, columns("age", "income", "city"));
        });
        add("tabular-two-csv", "§2: one CSV in the folder, or name it", c -> {
            customers(c);
            c.text("data/other.csv", lines("a,b", "1,2")).refused("--csv");
        });
        add("tabular-csv-flag", "§2: --csv names the records file", c -> {
            customers(c);
            c.text("data/other.csv", lines("a,b", "1,2")).addFlags("--csv", "customers.csv").ok(4, columns("age", "income", "city"));
        });
        add("tabular-schema-flag", "§2: --schema declares the kept columns; the others are named", c -> {
            customers(c);
            c.addFlags("--schema", "age:INT").ok(4, columns("age")).names("not in the schema");
        });
        add("tabular-header", "§3: a header line", c -> {
            customers(c);
            c.text("data/customers.csv", "").addFlags("--schema", "age:INT").refused("empty");
        });
        add("tabular-duplicate-column", "§3: no duplicate columns", c -> {
            customers(c);
            c.text("data/customers.csv", lines("age,age,churned", "1,2,no")).addFlags("--schema", "age:INT")
                    .refused("more than once");
        });
        add("tabular-bom", "§3: UTF-8; a BOM is fine", c -> {
            customers(c);
            c.text("data/customers.csv", "\uFEFF" + c.text("data/customers.csv")).ok(4, columns("age", "income", "city"));
        });
        add("tabular-latin1", "§3: UTF-8", c -> {
            customers(c);
            c.bytes("data/customers.csv", "age,city,churned\n3,K\u00f6ln,no\n".getBytes(StandardCharsets.ISO_8859_1))
                    .addFlags("--schema", "age:INT").refused("UTF-8");
        });
        add("tabular-no-rows", "§3: data rows", c -> {
            customers(c);
            c.text("data/customers.csv", lines("age,income,city,churned")).refused("no data rows");
        });
        add("tabular-int-text", "§3: INT rejects abc", c -> {
            customers(c);
            c.addFlags("--schema", "age:INT").text("data/customers.csv", lines("age,churned", "abc,no", "3,yes"))
                    .refused("not an INT");
        });
        add("tabular-int-fraction", "§3: INT rejects 2.5", c -> {
            customers(c);
            c.addFlags("--schema", "age:INT").text("data/customers.csv", lines("age,churned", "2.5,no", "3,yes"))
                    .refused("not an INT");
        });
        add("tabular-label-missing", "§3: the label column is present", c -> {
            customers(c);
            c.flags(flags("tabular_classification", "--label-column", "churn")).refused("label column");
        });
        add("tabular-numeric-labels", "§3: numeric labels compare by value (1 = 1.0): one label", c -> {
            customers(c);
            c.text("data/customers.csv", lines("age,churned", "3,1", "4,1.0")).refused("distinct label");
        });
        add("tabular-text-labels", "§3: labels typed as text compare as text (1 and 1.0 are two)", c -> {
            customers(c);
            c.addFlags("--schema", "age:INT,churned:VARCHAR(8)").text("data/customers.csv", lines("age,churned", "3,1", "4,1.0"))
                    .ok(2, columns("age"));
        });
        add("tabular-na-labels", "§3: NA-like values are not labels; 2 labels must remain", c -> {
            customers(c);
            c.text("data/customers.csv", lines("age,churned", "3,yes", "4,NA", "5,nan", "6,#NA")).refused("distinct label");
        });
        add("tabular-na-noted", "§3: NA-like labels are ingested without a label, and noted", c -> {
            customers(c);
            c.text("data/customers.csv", lines("age,churned", "3,yes", "4,no", "5,NA")).ok(3, columns("age")).names("NA-like");
        });
        add("tabular-config", "§1: a tabular config file with its schema", c -> {
            customers(c);
            c.config("data/ingest.yaml", published("tabular_classification", "x", "csv: $/customers.csv", "label: churned",
                    "schema: {age: INT, income: \"DECIMAL(10,2)\", city: VARCHAR(16)}").replace("table: x", "table: " + table(c)))
                    .flags().ok(4, columns("age", "income", "city"));
        });
        add("regression", "§3: tabular_regression, numeric labels bucketed by default (no buckets needed)", c -> {
            houses(c);
            c.ok(4, columns("label_raw", "rooms", "area"));
        });
        add("regression-passthrough", "§2: --label-policy passthrough keeps the value", c -> {
            houses(c);
            c.addFlags("--label-policy", "passthrough").ok(4, columns("rooms", "area"));
        });
        add("regression-not-number", "§3: regression labels are numeric", c -> {
            houses(c);
            c.text("data/houses.csv", lines("rooms,price", "3,250000", "2,cheap")).refused("not numbers");
        });
        add("regression-one-value", "§3: a single distinct value is fine", c -> {
            houses(c);
            c.text("data/houses.csv", lines("rooms,price", "3,100", "2,100")).ok(2, columns("label_raw", "rooms"));
        });
        add("regression-label-required", "§3: tabular_regression needs a label", c -> {
            houses(c);
            c.flags(flags("tabular_regression")).refused("label");
        });
    }

    private void timeSeriesRules() {
        add("forecasting", "§3: time_series_forecasting, timestamp typed TIMESTAMP (inferred), rows in time order", c -> {
            load(c);
            c.ok(3, columns("timestamp", "temperature"));
        });
        add("forecasting-order", "§3: rows in global time order", c -> {
            load(c);
            c.text("data/load.csv", lines("timestamp,load", "2024-01-01 01:00:00,3", "2024-01-01 00:00:00,4"))
                    .refused("time order");
        });
        add("forecasting-timestamp-parse", "§3: timestamps parse", c -> {
            load(c);
            c.addFlags("--schema", "timestamp:TIMESTAMP").text("data/load.csv", lines("timestamp,load", "2024-01-01,3", "yesterday,4"))
                    .refused("TIMESTAMP");
        });
        add("forecasting-numeric", "§3: numeric columns are numeric", c -> {
            load(c);
            c.addFlags("--schema", "timestamp:TIMESTAMP,temperature:DOUBLE").text("data/load.csv",
                    lines("timestamp,temperature,load", "2024-01-01,warm,3")).refused("DOUBLE");
        });
        add("ts-classification", "§3: time_series_classification, sequence_id + timestamp; `none` is an id", c -> {
            activity(c);
            c.ok(5, columns("sequence_id", "timestamp", "x", "y")).names("3 sequences");
        });
        add("ts-empty-sequence", "§3: no empty sequence id", c -> {
            activity(c);
            c.text("data/activity.csv", c.text("data/activity.csv") + ",2,0.5,0.5,run\n").refused("empty sequence_id");
        });
        add("ts-order", "§3: rows time-ordered within each sequence", c -> {
            activity(c);
            c.text("data/activity.csv", c.text("data/activity.csv") + "s1,0,0.5,0.5,walk\n").refused("time order");
        });
        add("ts-label-constant", "§3: the label is constant within a sequence", c -> {
            activity(c);
            c.text("data/activity.csv", c.text("data/activity.csv") + "s1,5,0.5,0.5,run\n").refused("label changes");
        });
        add("ts-two-labels", "§3: at least 2 labels across sequences", c -> {
            activity(c);
            c.text("data/activity.csv", lines("sequence_id,timestamp,label", "a,0,walk", "b,0,walk")).refused("distinct label");
        });
        add("ts-no-sequence-column", "§3: the sequence_id column is there", c -> {
            activity(c);
            c.text("data/activity.csv", lines("seq,timestamp,label", "a,0,walk", "b,0,run")).refused("sequence_id");
        });
        add("time-to-event", "§3: time_to_event_prediction, time (default column) numeric and >= 0", c -> {
            survival(c);
            c.ok(3, columns("time", "age"));
        });
        add("time-to-event-negative", "§3: time values are >= 0", c -> {
            survival(c);
            c.text("data/patients.csv", lines("time,event,age", "5,1,63", "-1,0,57")).refused("at least 0");
        });
        add("time-to-event-text", "§3: time values are numeric", c -> {
            survival(c);
            c.text("data/patients.csv", lines("time,event,age", "5,1,63", "soon,0,57")).refused("number");
        });
        add("time-to-event-no-time", "§3: the time column (time_column, default time) is there", c -> {
            survival(c);
            c.text("data/patients.csv", lines("days,event", "5,1")).refused("\"time\"");
        });
    }

    private void pathRules() {
        add("paths-as-given", "§2: --config alone reads the paths as given (root = parent of the first sidecar folder)", c -> {
            reviews(c);
            c.config("ingest.yaml", "apiVersion: tracebloc.io/v1\nkind: IngestConfig\ncategory: text_classification\ntable: "
                    + table(c) + "\nintent: test\ncsv: data/labels.csv\ntexts: data/texts\nlabel: label\n").target(null).flags()
                    .ok(3, BASE).names("dataset root");
        });
        add("paths-outside-root", "§2: nothing outside the dataset root is read", c -> {
            reviews(c);
            c.text("labels.csv", c.text("data/labels.csv"));
            c.config("ingest.yaml", "apiVersion: tracebloc.io/v1\nkind: IngestConfig\ncategory: text_classification\ntable: t\n"
                    + "intent: test\ncsv: labels.csv\ntexts: data/texts\nlabel: label\n").target(null).flags()
                    .refused("outside the dataset root");
        });
        add("paths-relative-leave", "§2: a relative path may not leave the dataset folder", c -> {
            reviews(c);
            c.config("data/ingest.yaml", "apiVersion: tracebloc.io/v1\nkind: IngestConfig\ncategory: text_classification\n"
                    + "table: t\nintent: test\ncsv: ../other/labels.csv\ntexts: texts\nlabel: label\n").flags()
                    .refused("leaves the dataset folder");
        });
        add("paths-by-name", "§2: an in-cluster path whose place differs is found by name", c -> {
            reviews(c);
            c.config("data/ingest.yaml", "apiVersion: tracebloc.io/v1\nkind: IngestConfig\ncategory: text_classification\n"
                    + "table: " + table(c) + "\nintent: train\ncsv: /mnt/meta/labels.csv\ntexts: /data/reviews/texts/\nlabel: label\n")
                    .flags().ok(3, BASE).names("found by name");
        });
        add("flags-name-task", "§2: the newer flag names --name and --task", c -> {
            reviews(c);
            c.flags("--task", "text_classification", "--label-column", "label").ok(3, BASE);
        });
        add("flags-missing-category", "§7: with flags only, a missing category names --category", c -> {
            reviews(c);
            c.flags("--label-column", "label").refused("--category");
        });
    }

    // ------------------------------------------------------------------ writing

    /** Writes every case under {@code root} (replacing what is there). */
    static List<Case> write(Path root) throws IOException {
        List<Case> cases = new ParityCorpus().build();
        if (Files.exists(root)) {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        for (Case c : cases) {
            Path dir = root.resolve(c.name);
            Files.createDirectories(dir);
            boolean hasTable = c.config != null || c.flags.contains("--table") || c.flags.contains("--name");
            List<String> flags = new ArrayList<>(c.flags);
            if (!hasTable && !c.flags.isEmpty() && !c.name.contains("flags-name")) {
                flags.addAll(0, List.of("--table", table(c)));
            } else if (c.name.contains("flags-name")) {
                flags.addAll(0, List.of("--name", table(c)));
            }
            for (Map.Entry<String, byte[]> f : c.files.entrySet()) {
                Path p = dir.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, f.getValue());
            }
            for (Map.Entry<String, String> l : c.links.entrySet()) {
                Path p = dir.resolve(l.getKey());
                Files.createDirectories(p.getParent());
                Files.createSymbolicLink(p, Path.of(l.getValue()));
            }
            String config = c.config != null && c.config.equals(c.target) ? null : c.config; // a config checked on its own
            StringBuilder yaml = new StringBuilder("# " + c.rule + "\n");
            yaml.append("verdict: ").append(c.verdict).append('\n');
            yaml.append("word: ").append(quote(c.word)).append('\n');
            yaml.append("target: ").append(c.target == null ? "null" : quote(c.target)).append('\n');
            yaml.append("config: ").append(config == null ? "null" : quote(config)).append('\n');
            yaml.append("flags: [").append(String.join(", ", flags.stream().map(ParityCorpus::quote).toList())).append("]\n");
            if (c.rows != null) {
                yaml.append("rows: ").append(c.rows).append('\n');
                yaml.append("columns: [").append(String.join(", ", c.columns)).append("]\n");
            }
            Files.writeString(dir.resolve("case.yaml"), yaml);
        }
        return cases;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "ferry-cli/src/test/resources/parity");
        List<Case> cases = write(root);
        System.out.println("wrote " + cases.size() + " cases to " + root);
    }
}
