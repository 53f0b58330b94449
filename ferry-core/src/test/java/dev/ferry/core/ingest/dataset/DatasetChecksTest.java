package dev.ferry.core.ingest.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.ingest.ConfigFlags;
import dev.ferry.core.ingest.Preflight;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset checks, one bad case at a time, each next to the good twin it breaks. */
class DatasetChecksTest {
    @TempDir
    Path tmp;

    private int n;

    private DatasetBuilder dataset() {
        return new DatasetBuilder(tmp.resolve("ds" + (++n)));
    }

    private static ConfigFlags images(String... extra) {
        String target = extra.length > 0 ? extra[0] : null;
        String min = extra.length > 1 ? extra[1] : null;
        return new ConfigFlags("t", "image_classification", "train", "label", null, null, target, min, null, null,
                null, null, null);
    }

    private static ConfigFlags tabular(String category, String label, String policy, List<Double> buckets, String schema) {
        return new ConfigFlags("t", category, "train", label, policy, buckets, null, null, null, schema, null, null, null);
    }

    private static Preflight.Result check(DatasetBuilder d, ConfigFlags flags) {
        Preflight.Result r = Preflight.run(d.dir(), null, flags);
        assertThat(r.config().issues()).as("config").isEmpty();
        return r;
    }

    private static List<String> findings(Preflight.Result r) {
        return r.dataset().report().findings().stream()
                .map(f -> f.severity().name().toLowerCase() + ": " + f.format()).toList();
    }

    /** A good twin: two labels, four 32x32 JPEGs. */
    private DatasetBuilder good() {
        return dataset().csv("filename,label", "a0.jpg,cat", "a1.jpg,cat", "a2.jpg,dog", "a3.jpg,dog")
                .images("a", 4, 32, 32);
    }

    @Test
    void aGoodImageDatasetPassesAndBuildsRows() {
        Preflight.Result r = check(good(), images());
        assertThat(r.ok()).isTrue();
        assertThat(findings(r)).isEmpty();
        RowsTable rows = r.dataset().rows();
        assertThat(rows.columns()).containsExactly("data_id", "filename", "extension", "label", "data_intent");
        assertThat(rows.rows()).hasSize(4);
        assertThat(rows.rows().get(0)).element(0).asString().hasSize(64); // content hash
        assertThat(rows.rows().get(0).subList(1, 5)).containsExactly("a0.jpg", "jpg", "cat", "train");
        assertThat(r.dataset().report().distinctLabels()).containsExactly("cat", "dog");
        // the same data gives the same ids
        assertThat(check(good(), images()).dataset().rows().rows().get(0).get(0)).isEqualTo(rows.rows().get(0).get(0));
    }

    @Test
    void theRecordsFileMustBeUtf8WithDataRowsAndAFilenameColumn() {
        DatasetBuilder latin1 = good();
        latin1.bytes("labels.csv", "filename,label\na0.jpg,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(findings(check(latin1, images()))).containsExactly(
                "error: labels.csv is not UTF-8 text (save it as UTF-8; a byte-order mark is fine)");

        DatasetBuilder bom = good();
        bom.bytes("labels.csv", ("\uFEFFfilename,label\na0.jpg,cat\na2.jpg,dog\n").getBytes(StandardCharsets.UTF_8));
        assertThat(check(bom, images()).ok()).isTrue();

        assertThat(findings(check(good().csv("filename,label"), images())))
                .contains("error: labels.csv has a header but no data rows");
        assertThat(findings(check(good().csv("filename,label,label", "a0.jpg,cat,x"), images())))
                .containsExactly("error: labels.csv has the column \"label\" more than once");
        assertThat(findings(check(good().csv("Filename,label", "a0.jpg,cat"), images())))
                .containsExactly("error: labels.csv has no \"filename\" column (columns: Filename, label)");
        assertThat(findings(check(good().csv("filename,species", "a0.jpg,cat"), images())))
                .containsExactly("error: label column \"label\" not found in labels.csv (columns: filename, species)");
        assertThat(findings(check(good().csv("filename,label", "\"a0.jpg,cat"), images())))
                .singleElement().asString().startsWith("error: labels.csv is not a well-formed CSV");
        Preflight.Result none = Preflight.run(dataset().dir(), null, images());
        assertThat(none.config().issues()).singleElement().satisfies(i -> assertThat(i.message())
                .contains("put a labels.csv in the dataset folder"));
    }

    @Test
    void theLabelColumnMatchesIgnoringCaseAndSpaces() {
        DatasetBuilder d = good().csv("filename, Label ", "a0.jpg,cat", "a2.jpg,dog");
        assertThat(check(d, images()).ok()).isTrue();
    }

    @Test
    void everyListedFileMustExistAndStayInside() {
        DatasetBuilder d = good().csv("filename,label", "a0.jpg,cat", "missing.jpg,cat", "../a1.jpg,dog",
                "/etc/passwd,dog", "a2,dog", ",dog");
        assertThat(findings(check(d, images()))).containsExactly(
                "error: rows whose image does not exist in images/: row 2 (line 3) \"missing.jpg\"",
                "error: rows whose filename is absolute or contains '..' (it must name a file in images/): "
                        + "row 3 (line 4) \"../a1.jpg\", row 4 (line 5) \"/etc/passwd\"",
                "error: rows with an empty filename: row 6 (line 7)",
                "note: images in images/ that no row lists (not ingested): a1.jpg, a3.jpg");
    }

    @Test
    void anExtensionIsAppendedToNamesWithoutOneAndDottedStemsWork() {
        DatasetBuilder d = dataset().csv("filename,label", "photo.2024,cat", "plain,dog")
                .image("photo.2024.jpg", 16, 16).image("plain.jpg", 16, 16);
        Preflight.Result r = check(d, images());
        assertThat(findings(r)).isEmpty();
        assertThat(r.dataset().rows().rows()).extracting(row -> row.get(1)).containsExactly("photo.2024.jpg", "plain.jpg");
    }

    @Test
    void imagesMustShareOneExtensionAndDecode() {
        DatasetBuilder d = good().csv("filename,label", "a0.jpg,cat", "b.png,cat", "zero.jpg,dog", "cut.jpg,dog",
                "bad.jpg,dog", "a2.jpg,dog", "cut.png,dog")
                .image("b.png", 32, 32).emptyImage("zero.jpg").truncatedImage("cut.jpg", 32, 32).corruptImage("bad.jpg")
                .truncatedImage("cut.png", 32, 32);
        List<String> f = findings(check(d, images()));
        assertThat(f).contains("error: images whose extension is not .jpg: b.png, cut.png");
        assertThat(f).anySatisfy(s -> assertThat(s).startsWith("error: images that cannot be used: ")
                .contains("zero.jpg (empty file (0 bytes))")
                .contains("cut.jpg (truncated (no JPEG end-of-image marker))")
                .contains("bad.jpg (corrupt image"));
        // with png declared as the extension, a cut PNG is named for its missing IEND chunk
        DatasetBuilder png = dataset().csv("filename,label", "p.png,cat", "cut.png,dog").image("p.png", 32, 32)
                .truncatedImage("cut.png", 32, 32);
        assertThat(findings(check(png, images()))).anySatisfy(s -> assertThat(s).contains("cut.png (truncated (no PNG IEND chunk))"));
    }

    @Test
    void imagesMustHaveTheTargetSizeAndTheMinimum() {
        DatasetBuilder d = good().image("a3.jpg", 40, 30);
        assertThat(findings(check(d, images()))).containsExactly(
                "error: images that are not 32x32 (width x height): a3.jpg is 40x30");
        assertThat(findings(check(good(), images("64x64")))).singleElement().asString()
                .startsWith("error: images that are not 64x64 (width x height): a0.jpg is 32x32, a1.jpg is 32x32");
        assertThat(findings(check(good(), images("32x32", "48x16")))).singleElement().asString()
                .startsWith("error: images smaller than the minimum 48x16");
    }

    @Test
    void classificationNeedsTwoLabelsAndLongListsAreCounted() {
        DatasetBuilder one = good().csv("filename,label", "a0.jpg,cat", "a1.jpg,cat");
        assertThat(findings(check(one, images()))).contains(
                "error: only 1 distinct label (\"cat\"): image_classification needs at least 2");
        StringBuilder csv = new StringBuilder("filename,label");
        for (int i = 0; i < 12; i++) csv.append("\nnope").append(i).append(".jpg,x");
        DatasetBuilder many = good().csv(csv.toString());
        assertThat(findings(check(many, images()))).first().asString().endsWith(", ... (+7 more)");
    }

    @Test
    void categoriesWithoutDatasetRulesSaySo() {
        DatasetBuilder d = dataset().csv("text,label", "hello,greeting", "bye,farewell").file("texts/a.txt", "hello");
        Preflight.Result r = check(d, new ConfigFlags("t", "text_classification", "train", "label", null, null, null, null,
                null, null, null, null, null));
        assertThat(r.ok()).isFalse();
        assertThat(findings(r)).singleElement().asString().contains("category text_classification are not supported yet");
    }

    private static ConfigFlags category(String category, String label, Integer keypoints) {
        return new ConfigFlags("t", category, "train", label, null, null, null, null, null, null, null, keypoints, null);
    }

    /** A good object-detection twin: three 40x30 images, each with a VOC annotation. */
    private DatasetBuilder detection() {
        return dataset().csv("filename", "a0.jpg", "a1.jpg", "a2.jpg").images("a", 3, 40, 30)
                .voc("a0.xml", 40, 30, "cat 1 1 20 20", "dog 10 5 40 30").voc("a1.xml", 40, 30, "cat 0 0 5 5")
                .voc("a2.xml", 40, 30);
    }

    @Test
    void objectDetectionPairsEveryImageWithAValidVocAnnotation() {
        Preflight.Result r = check(detection(), category("object_detection", null, null));
        assertThat(r.ok()).as("%s", findings(r)).isTrue();
        assertThat(findings(r)).containsExactly(
                "note: annotations with no objects (the image is ingested as background): annotations/a2.xml");
        assertThat(r.dataset().rows().columns()).containsExactly("data_id", "filename", "extension", "label",
                "data_intent", "annotation", "objects");
        assertThat(r.dataset().rows().rows()).extracting(row -> row.get(1) + " " + row.get(5) + " " + row.get(6))
                .containsExactly("a0.jpg annotations/a0.xml 2", "a1.jpg annotations/a1.xml 1", "a2.jpg annotations/a2.xml 0");
        assertThat(r.dataset().report().distinctLabels()).containsExactly("cat", "dog");

        DatasetBuilder missing = detection();
        deleteFile(missing.dir().resolve("annotations/a1.xml"));
        missing.file("annotations/extra.xml", "<annotation/>");
        assertThat(findings(check(missing, category("object_detection", null, null)))).contains(
                "error: images without an annotation in annotations/: a1.jpg (no annotations/a1.xml)",
                "note: annotations in annotations/ for no listed image (not ingested): extra.xml");

        assertThat(findings(check(detection().file("annotations/a1.xml", "<annotation><object>"),
                category("object_detection", null, null))))
                .anyMatch(f -> f.startsWith("error: annotations that cannot be used: annotations/a1.xml (not well-formed XML"));
        assertThat(findings(check(detection().file("annotations/a1.xml", "<html/>"), category("object_detection", null, null))))
                .contains("error: annotations that cannot be used: annotations/a1.xml (not Pascal VOC (the root element is"
                        + " <html>, not <annotation>))");
        assertThat(findings(check(detection().voc("a1.xml", 40, 30, "cat 0 0 five 5"), category("object_detection", null, null))))
                .contains("error: annotations that cannot be used: annotations/a1.xml (object 1 (\"cat\"): <xmax> is not a"
                        + " number (\"five\"))");
        assertThat(findings(check(detection().voc("a1.xml", 64, 64, "cat 0 0 5 5"), category("object_detection", null, null))))
                .contains("error: annotations whose <size> is not their image's: annotations/a1.xml says 64x64, a1.jpg is 40x30");
        assertThat(findings(check(detection().voc("a1.xml", 40, 30, "cat 10 0 50 5", "dog 5 5 5 9"),
                category("object_detection", null, null))))
                .contains("error: annotations with a box that is empty or outside its image: annotations/a1.xml object 1"
                        + " (\"cat\"): box (xmin 10, ymin 0, xmax 50, ymax 5) outside the 40x30 image");
        // an annotation may not make the parser read other files
        DatasetBuilder entity = detection().file("secret.txt", "s3cret").file("annotations/a1.xml",
                "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:../secret.txt\">]>"
                        + "<annotation><object><name>&x;</name><bndbox><xmin>0</xmin><ymin>0</ymin><xmax>1</xmax><ymax>1</ymax>"
                        + "</bndbox></object></annotation>");
        Preflight.Result withEntity = check(entity, category("object_detection", null, null));
        assertThat(withEntity.ok()).isFalse();
        assertThat(String.join("\n", findings(withEntity))).doesNotContain("s3cret")
                .contains("annotations that cannot be used: annotations/a1.xml");
    }

    /** A good keypoint twin: two 40x30 images, two keypoints each. */
    private DatasetBuilder keypoints() {
        return dataset().csv("filename,keypoints,pose", "a0.jpg,\"[1, 2, 2, 30, 20, 1]\",standing",
                "a1.jpg,\"[0, 0, 0, 39.5, 29, 2]\",sitting").images("a", 2, 40, 30);
    }

    @Test
    void keypointDetectionReadsTripletsPerRecordAndKeepsThemInTheImage() {
        Preflight.Result r = check(keypoints(), category("keypoint_detection", null, 2));
        assertThat(r.ok()).as("%s", findings(r)).isTrue();
        assertThat(r.dataset().rows().rows()).extracting(row -> row.get(1) + " " + row.get(3) + " " + row.get(5))
                .containsExactly("a0.jpg null [1,2,2,30,20,1]", "a1.jpg null [0,0,0,39.5,29,2]");
        Preflight.Result labelled = check(keypoints(), category("keypoint_detection", "pose", 2));
        assertThat(labelled.dataset().rows().rows()).extracting(row -> row.get(3)).containsExactly("standing", "sitting");

        assertThat(findings(check(keypoints(), category("keypoint_detection", null, 3)))).containsExactly(
                "error: rows whose keypoints are not 3 x, y, v triplets (a JSON array of 9 numbers, v 0, 1 or 2):"
                        + " row 1 (line 2) (6 numbers), row 2 (line 3) (6 numbers)");
        DatasetBuilder bad = keypoints().csv("filename,keypoints", "a0.jpg,\"[1, 2, 7, 3, 4, 2]\"", "a1.jpg,oops",
                "a2.jpg,", "a3.jpg,\"[1, 2, 2, 41, 4, 2]\"", "a4.jpg,\"{}\"").images("a", 5, 40, 30);
        assertThat(findings(check(bad, category("keypoint_detection", null, 2)))).containsExactly(
                "error: rows whose keypoints are not 2 x, y, v triplets (a JSON array of 6 numbers, v 0, 1 or 2):"
                        + " row 1 (line 2) (keypoint 1 has visibility 7.0), row 2 (line 3) (not JSON), row 3 (line 4)"
                        + " (empty), row 5 (line 6) (not a JSON array of numbers)",
                "error: rows whose labelled keypoints lie outside their image: row 4 (line 5) keypoint 2 at (41.0, 4.0)"
                        + " in a3.jpg of 40x30");
        assertThat(findings(check(keypoints().csv("filename,points", "a0.jpg,[]"), category("keypoint_detection", null, 2))))
                .singleElement().asString().startsWith("error: labels.csv has no \"keypoints\" column");
    }

    /** A good segmentation twin: two 24x16 images with grayscale masks. */
    private DatasetBuilder segmentation() {
        return dataset().csv("filename", "a0.jpg", "a1.jpg").images("a", 2, 24, 16).mask("a0.png", 24, 16)
                .mask("a1.png", 24, 16);
    }

    /** What the ingestion compares with the bundle: each row's image, then its sidecars; none for tabular rows. */
    @Test
    void eachRowNamesTheFilesItWasBuiltFrom() {
        Preflight.Result boxes = check(detection(), category("object_detection", null, null));
        DatasetCategory od = DatasetCategory.of(boxes.config().config().category());
        assertThat(boxes.dataset().rows().rows()).extracting(row -> od.filesOf(row, boxes.config().config()))
                .containsExactly(List.of("images/a0.jpg", "annotations/a0.xml"), List.of("images/a1.jpg", "annotations/a1.xml"),
                        List.of("images/a2.jpg", "annotations/a2.xml"));
        Preflight.Result masks = check(segmentation(), category("semantic_segmentation", null, null));
        DatasetCategory seg = DatasetCategory.of(masks.config().config().category());
        List<Object> first = masks.dataset().rows().rows().get(0);
        // the same names as the row's own mask column
        assertThat(seg.filesOf(first, masks.config().config()))
                .containsExactly("images/" + first.get(1), (String) first.get(masks.dataset().rows().columns().indexOf("mask")));
        Preflight.Result cats = check(good(), images());
        assertThat(DatasetCategory.of(cats.config().config().category()).filesOf(cats.dataset().rows().rows().get(0),
                cats.config().config())).containsExactly("images/a0.jpg");
        DatasetBuilder t = dataset().csv("id,price", "1,10.5", "2,11");
        Preflight.Result table = check(t, tabular("tabular_regression", "price", "passthrough", null, null));
        assertThat(DatasetCategory.of(table.config().config().category()).filesOf(table.dataset().rows().rows().get(0),
                table.config().config())).isEmpty();
    }

    @Test
    void semanticSegmentationPairsEveryImageWithAClassIdMaskOfItsSize() {
        Preflight.Result r = check(segmentation(), category("semantic_segmentation", null, null));
        assertThat(r.ok()).as("%s", findings(r)).isTrue();
        assertThat(r.dataset().rows().rows()).extracting(row -> row.get(1) + " " + row.get(5))
                .containsExactly("a0.jpg masks/a0.png", "a1.jpg masks/a1.png");

        DatasetBuilder missing = segmentation();
        deleteFile(missing.dir().resolve("masks/a1.png"));
        assertThat(findings(check(missing, category("semantic_segmentation", null, null))))
                .contains("error: images without a mask in masks/: a1.jpg (no masks/a1.png)");
        assertThat(findings(check(segmentation().mask("a1.png", 24, 17), category("semantic_segmentation", null, null))))
                .contains("error: masks whose size is not their image's: masks/a1.png is 24x17, a1.jpg is 24x16");
        assertThat(findings(check(segmentation().rgbMask("a1.png", 24, 16), category("semantic_segmentation", null, null))))
                .contains("error: masks that are not one class id per pixel (save them as grayscale or palette PNG):"
                        + " masks/a1.png is RGB");
        assertThat(findings(check(segmentation().bytes("masks/a1.png", DatasetBuilder.jpeg(24, 16, 1)),
                category("semantic_segmentation", null, null))))
                .contains("error: masks that are not PNG: masks/a1.png is JPEG");
        assertThat(findings(check(segmentation().bytes("masks/a1.png", new byte[0]), category("semantic_segmentation", null, null))))
                .contains("error: masks that cannot be used: masks/a1.png (empty file (0 bytes))");
    }

    private static void deleteFile(Path p) {
        try {
            java.nio.file.Files.delete(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void tabularRecordsFromCsvOrJson() {
        DatasetBuilder csv = dataset().csv("age,city,species", "31,Oslo,cat", "45,Rome,dog", "29,Lima,cat");
        Preflight.Result r = check(csv, tabular("tabular_classification", "species", null, null, "age:INT,city:VARCHAR(8)"));
        assertThat(findings(r)).isEmpty();
        assertThat(r.dataset().rows().columns()).containsExactly("data_id", "filename", "extension", "label", "data_intent",
                "age", "city");
        assertThat(r.dataset().rows().rows().get(1).subList(1, 7)).containsExactly(null, null, "dog", "train", "45", "Rome");

        DatasetBuilder json = dataset().file("records.json", "[{\"x\": 1, \"y\": \"a\"}, {\"x\": 2, \"y\": \"b\"}]")
                .file("ingest.yaml", "apiVersion: ferry.dev/v1\nkind: IngestConfig\ncategory: tabular_classification\n"
                        + "table: t\nintent: test\njson: records.json\nlabel: y\nschema: {x: INT}\n");
        Preflight.Result j = check(json, ConfigFlags.NONE);
        assertThat(j.ok()).isTrue();
        assertThat(j.dataset().rows().rows()).hasSize(2);

        DatasetBuilder lines = dataset().file("r.jsonl", "{\"x\": 1, \"y\": \"a\"}\n{\"x\": 2, \"y\": \"b\"}\n")
                .file("ingest.yaml", "apiVersion: ferry.dev/v1\nkind: IngestConfig\ncategory: tabular_classification\n"
                        + "table: t\nintent: test\njson: r.jsonl\nlabel: y\n");
        assertThat(check(lines, ConfigFlags.NONE).dataset().rows().rows()).hasSize(2);
    }

    @Test
    void tabularValuesMustParseAndReservedNamesAreRefused() {
        DatasetBuilder d = dataset().csv("age,city,species", "31,Oslo,cat", "old,Rome,dog", "29,Lima-Peru-City,cat");
        assertThat(findings(check(d, tabular("tabular_classification", "species", null, null, "age:INT,city:VARCHAR(8)"))))
                .containsExactly(
                        "error: values of column \"age\" that are not INT: row 2 (line 3) \"old\" (not a INT)",
                        "error: values of column \"city\" that are not VARCHAR(8): row 3 (line 4) \"Lima-Peru-City\" (longer than 8 characters)");
        DatasetBuilder reserved = dataset().csv("data_id,species", "1,cat", "2,dog");
        assertThat(findings(check(reserved, tabular("tabular_classification", "species", null, null, null))))
                .containsExactly("error: labels.csv has a column named \"data_id\", which the rows table reserves; rename it");
        DatasetBuilder missing = dataset().csv("age,species", "1,cat", "2,dog");
        assertThat(findings(check(missing, tabular("tabular_classification", "species", null, null, "height:FLOAT"))))
                .containsExactly("error: schema column \"height\" is not in labels.csv (columns: age, species)");
    }

    @Test
    void regressionLabelsAreNumbersAndBucketsMapThem() {
        DatasetBuilder d = dataset().csv("rooms,price", "3,250000", "2,n/a", "5,1200000");
        assertThat(findings(check(d, tabular("tabular_regression", "price", "passthrough", null, null))))
                .containsExactly("error: labels that are not numbers (tabular_regression): row 2 (line 3) \"n/a\"");
        DatasetBuilder ok = dataset().csv("rooms,price", "3,250000", "2,90000", "5,1200000");
        Preflight.Result r = check(ok, tabular("tabular_regression", "price", "bucket", List.of(100000.0, 1000000.0), null));
        assertThat(findings(r)).isEmpty();
        assertThat(r.dataset().rows().columns()).contains("label_raw");
        assertThat(r.dataset().rows().rows()).extracting(row -> row.get(3) + " " + row.get(5)).containsExactly(
                "[100000, 1000000) 250000", "[-inf, 100000) 90000", "[1000000, inf) 1200000");
    }

    /** Every call a check made to its progress reporter, as "done/total". */
    private static List<String> progressOf(DatasetBuilder d, ConfigFlags flags) {
        Preflight.Result r = check(d, flags);
        List<String> calls = new java.util.ArrayList<>();
        DatasetCategory.DatasetOutcome out = DatasetCategory.of(r.config().config().category())
                .check(d.dir(), r.config().config(), (done, total) -> calls.add(done + "/" + total));
        assertThat(out.report().hasErrors()).as("findings: %s", out.report().findings()).isFalse();
        return calls;
    }

    private static String[] records(String header, int count, java.util.function.IntFunction<String> line) {
        String[] lines = new String[count + 1];
        lines[0] = header;
        for (int i = 0; i < count; i++) {
            lines[i + 1] = line.apply(i);
        }
        return lines;
    }

    @Test
    void checksReportRecordsAsTheyGoAndStopWhenTheirReporterThrows() {
        // images: reading the records reports every 1,024 (total not known yet), then each image probed
        DatasetBuilder images = dataset().csv(records("filename,label", 2100, i -> "a" + i + ".jpg," + (i % 2 == 0 ? "cat" : "dog")))
                .images("a", 2100, 8, 8);
        List<String> calls = progressOf(images, images());
        assertThat(calls).startsWith("1024/0", "2048/0", "0/2100", "1/2100").endsWith("2100/2100").hasSize(2 + 1 + 2100);

        // tabular: reading is the check
        DatasetBuilder table = dataset().csv(records("species,age", 2100, i -> (i % 2 == 0 ? "cat" : "dog") + "," + i));
        assertThat(progressOf(table, tabular("tabular_classification", "species", null, null, "age:INT")))
                .containsExactly("1024/0", "2048/0", "2100/2100");

        // a reporter that throws (a cancelled run's) stops the checks right there
        Preflight.Result r = check(images, images());
        java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DatasetCategory.of(r.config().config().category())
                .check(images.dir(), r.config().config(), (done, total) -> {
                    last.set(done);
                    if (total > 0 && done >= 100) {
                        throw new IllegalStateException("cancelled");
                    }
                })).hasMessage("cancelled");
        assertThat(last.get()).isEqualTo(100);
    }
}
