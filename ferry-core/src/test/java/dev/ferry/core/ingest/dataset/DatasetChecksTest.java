package dev.ferry.core.ingest.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.ingest.ConfigFlags;
import dev.ferry.core.ingest.Preflight;
import dev.ferry.core.model.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dataset checks in detail: the rows they build, the ids, the messages and what they never echo.
 * Every rule of the ingest.v1 reference also has a good and a bad case in the CLI's parity corpus
 * (ParityCorpusTest); here are the behaviours a verdict alone does not show.
 */
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

    private static ConfigFlags category(String category, String label) {
        return new ConfigFlags("t", category, "train", label, null, null, null, null, null, null, null, null, null);
    }

    private static ConfigFlags tabular(String category, String label, String policy, List<Double> buckets, String schema) {
        return new ConfigFlags("t", category, "train", label, policy, buckets, null, null, null, schema, null, null, null);
    }

    private static Preflight.Result check(DatasetBuilder d, ConfigFlags flags) {
        return check(d.dir(), flags);
    }

    private static Preflight.Result check(Path target, ConfigFlags flags) {
        Preflight.Result r = Preflight.runKeepingRows(target, null, flags);
        assertThat(r.config().issues()).as("config").isEmpty();
        return r;
    }

    private static List<String> findings(Preflight.Result r) {
        return r.dataset().report().findings().stream()
                .map(f -> f.severity().name().toLowerCase() + ": " + f.format()).toList();
    }

    /** The check that keeps only its report (validate, a dry run) reports exactly what the full one does. */
    @Test
    void aReportOnlyCheckReportsWhatTheFullCheckDoes() {
        StringBuilder csv = new StringBuilder("rooms,price,note");
        for (int i = 0; i < 300; i++) {
            csv.append('\n').append(i % 5).append(',').append(i % 7 == 0 ? "NA" : String.valueOf(1000 + i * 3))
                    .append(',').append(i % 11 == 0 ? "x,y" : "ok");
        }
        csv.append("\n2,not a number,bad");
        DatasetBuilder d = dataset().file("prices.csv", csv.toString());
        ConfigFlags bucketed = tabular("tabular_regression", "price", "bucket", null, null);
        Preflight.Result full = Preflight.runKeepingRows(d.dir(), null, bucketed);
        Preflight.Result reportOnly = Preflight.run(d.dir(), null, bucketed);
        assertThat(findings(reportOnly)).isEqualTo(findings(full)).isNotEmpty();
        assertThat(reportOnly.dataset().report().distinctLabels()).isEqualTo(full.dataset().report().distinctLabels());
        assertThat(reportOnly.dataset().report().records()).isEqualTo(full.dataset().report().records());
        assertThat(reportOnly.dataset().rows().size()).isZero();
        full.dataset().rows().close();
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
        assertThat(rows.rows().get(0).subList(1, 5)).containsExactly("a0.jpg", "jpg", "cat", "train");
        assertThat(r.dataset().report().distinctLabels()).containsExactly("cat", "dog");
        // the content hash is the image's digest, and the row remembers the file it was built from
        RowsTable.Row first = rows.entries().get(0);
        assertThat(first.files()).containsExactly("images/a0.jpg");
        assertThat(first.values().get(0)).isEqualTo(first.firstFileDigest().hex());
        // the same data gives the same ids
        assertThat(check(good(), images()).dataset().rows().rows().get(0).get(0)).isEqualTo(first.values().get(0));
    }

    @Test
    void rowsThatRepeatAFileAreEachARecordWithTheirOwnStableId() throws Exception {
        // the canonical cats/dogs sample: few images, every one named by many rows
        List<String> lines = new ArrayList<>(List.of("filename,label"));
        for (int r = 0; r < 96; r++) {
            lines.add("a0.jpg,cat");
            lines.add("a1.jpg,dog");
        }
        DatasetBuilder d = dataset().csv(lines.toArray(String[]::new)).images("a", 2, 32, 32);
        Preflight.Result r = check(d, images());
        assertThat(r.ok()).isTrue();
        assertThat(r.dataset().report().records()).isEqualTo(192);
        assertThat(r.dataset().report().files()).isEqualTo(2);
        assertThat(findings(r)).containsExactly(
                "note: 2 files are named by several rows (192 rows in all): each row is a record");
        List<Object> ids = r.dataset().rows().rows().stream().map(row -> row.get(0)).toList();
        assertThat(new HashSet<>(ids)).hasSize(192);
        // the first row of a file is its digest; the n-th repeat hashes it with #n
        Digest a0 = Digest.of(Files.readAllBytes(d.dir().resolve("images/a0.jpg")));
        assertThat(ids.get(0)).isEqualTo(a0.hex());
        assertThat(ids.get(2)).isEqualTo(Digest.of((a0.hex() + "#1").getBytes(StandardCharsets.UTF_8)).hex());
        assertThat(check(d, images()).dataset().rows().rows().stream().map(row -> row.get(0)).toList()).isEqualTo(ids);
    }

    @Test
    void identicalTabularRowsAreDistinctRecordsToo() {
        DatasetBuilder d = dataset().csv("age,species", "3,cat", "3,cat", "4,dog");
        Preflight.Result r = check(d, tabular("tabular_classification", "species", null, null, null));
        List<Object> ids = r.dataset().rows().rows().stream().map(row -> row.get(0)).toList();
        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void idsFromAColumnAreThatColumnAndMustNotRepeat() {
        ConfigFlags byColumn = new ConfigFlags("t", "tabular_classification", "train", "species", null, null, null, null,
                null, "age:INT", null, null, "column:id");
        Preflight.Result r = check(dataset().csv("id,age,species", "x1,3,cat", "x2,4,dog"), byColumn);
        assertThat(r.dataset().rows().rows()).extracting(row -> row.get(0)).containsExactly("x1", "x2");
        assertThat(findings(check(dataset().csv("id,age,species", "x1,3,cat", "x1,4,dog"), byColumn)))
                .contains("error: rows whose id (column \"id\") repeats an earlier row's: row 2 (line 3) \"x1\"");
        ConfigFlags images = new ConfigFlags("t", "image_classification", "train", "label", null, null, null, null, null,
                null, null, null, "column:id");
        assertThat(findings(check(good().csv("filename,label,id", "a0.jpg,cat,1", "a1.jpg,dog,1"), images)))
                .contains("error: rows whose id (column \"id\") repeats an earlier row's: row 2 (line 3) \"1\"");
    }

    @Test
    void theRecordsFileMustBeUtf8WithDataRowsAndAFilenameColumn() {
        DatasetBuilder latin1 = good();
        latin1.bytes("labels.csv", "filename,label\na0.jpg,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(findings(check(latin1, images()))).contains(
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
                .containsExactly("error: label column \"label\" not found in labels.csv (columns: filename, species);"
                        + " name it with --label-column (or label: in the config)");
        assertThat(findings(check(good().csv("filename,label", "\"a0.jpg,cat"), images())))
                .singleElement().asString().startsWith("error: labels.csv is not a well-formed CSV");
    }

    @Test
    void aMistypedLabelColumnIsNamedAloneAndSchemaColumnsClashingWithRowsAreRefused() {
        // a records file with a `label` column is fine whatever the label column is
        DatasetBuilder d = dataset().csv("age,label,species", "1,x,cat", "2,y,dog");
        assertThat(findings(check(d, tabular("tabular_classification", "specis", null, null, "age:INT"))))
                .containsExactly("error: label column \"specis\" not found in labels.csv (columns: age, label, species);"
                        + " name it with --label-column (or label: in the config)");
        assertThat(findings(check(d, tabular("tabular_classification", "species", null, null, "age:INT,label:VARCHAR(4)"))))
                .containsExactly("error: labels.csv has a column \"label\", which the rows table has too: rename it (or leave"
                        + " it out of the schema)");
        assertThat(check(d, tabular("tabular_classification", "species", null, null, "age:INT")).ok()).isTrue();
    }

    @Test
    void everyListedFileMustExistAndStayInside() {
        DatasetBuilder d = good().csv("filename,label", "a0.jpg,cat", "missing.jpg,cat", "../a1.jpg,dog",
                "/etc/passwd,dog", "a2,dog", ",dog");
        assertThat(findings(check(d, images()))).containsExactly(
                "error: rows whose file does not exist in images/: row 2 (line 3) \"missing.jpg\"",
                "error: rows whose filename is absolute or contains '..' (it must name a file in images/): "
                        + "row 3 (line 4) \"../a1.jpg\", row 4 (line 5) \"/etc/passwd\"",
                "error: rows with an empty filename: row 6 (line 7)",
                "note: files in images/ that no row names (not ingested): a1.jpg, a3.jpg");
    }

    @Test
    void imagesMustDecodeAndAreCheckedOncePerFile() {
        DatasetBuilder d = good().csv("filename,label", "a0.jpg,cat", "zero.jpg,dog", "zero.jpg,cat", "cut.jpg,dog",
                "bad.jpg,dog", "a2.jpg,dog")
                .emptyImage("zero.jpg").truncatedImage("cut.jpg", 32, 32).corruptImage("bad.jpg");
        List<String> f = findings(check(d, images()));
        assertThat(f).anySatisfy(s -> assertThat(s).startsWith("error: images that cannot be used: ")
                .contains("images/zero.jpg (empty file (0 bytes))")
                .contains("images/cut.jpg (truncated (no JPEG end-of-image marker))")
                .contains("images/bad.jpg (corrupt image")
                .doesNotContain("(+"));
        DatasetBuilder png = dataset().csv("filename,label", "p.png,cat", "cut.png,dog").image("p.png", 32, 32)
                .truncatedImage("cut.png", 32, 32);
        assertThat(findings(check(png, images()))).anySatisfy(s -> assertThat(s).contains("cut.png (truncated (no PNG IEND chunk))"));
    }

    @Test
    void imagesMustHaveTheTargetSizeAndTheMinimum() {
        DatasetBuilder d = good().image("a3.jpg", 40, 32);
        assertThat(findings(check(d, images()))).containsExactly(
                "error: images that are not 32x32 (width x height): images/a3.jpg is 40x32");
        assertThat(findings(check(good(), images("64x64")))).singleElement().asString()
                .startsWith("error: images that are not 64x64 (width x height): images/a0.jpg is 32x32, images/a1.jpg is 32x32");
        assertThat(findings(check(good(), images("32x32", "48x16")))).singleElement().asString()
                .startsWith("error: images smaller than the minimum 48x16");
        DatasetBuilder small = dataset().csv("filename,label", "s0.jpg,cat", "s1.jpg,dog").images("s", 2, 31, 40);
        assertThat(findings(check(small, images()))).singleElement().asString()
                .startsWith("error: images smaller than the minimum 32x32 (--min-size or spec.file_options.min_size changes it)");
    }

    @Test
    void messagesNeverEchoMoreThanAFewHundredCharactersOfAValue() {
        String long_ = "x".repeat(5_000);
        DatasetBuilder d = good().csv("filename,label", "a0.jpg,cat", "a1.jpg," + long_, "a2.jpg,dog");
        Preflight.Result r = check(d, images());
        String all = String.join("\n", findings(r));
        assertThat(all).contains("labels that cannot be stored").contains("5,000 characters, over the limit of 1,024")
                .contains("... (5,000 characters)");
        assertThat(all.length()).isLessThan(1000);
        // a 10 MB label made a 115 MB summary once: a cell over the limit is refused, and shown in a few hundred characters
        String huge = "y".repeat(10_000_000);
        Preflight.Result big = check(good().csv("filename,label", "a0.jpg,cat", "a1.jpg," + huge, "a2.jpg,dog"), images());
        String bigAll = String.join("\n", findings(big));
        assertThat(bigAll).contains("rows with a cell no row can hold").contains("10,000,000 characters, over the limit of 65,536");
        assertThat(bigAll.length()).isLessThan(1000);
        DatasetBuilder control = good().csv("filename,label", "a0.jpg,cat", "a1.jpg,\"do\ng\"", "a2.jpg,dog");
        assertThat(findings(check(control, images()))).anySatisfy(s -> assertThat(s)
                .contains("\"do\\ng\" (a control character (U+000A) at position 3)"));
    }

    @Test
    void objectDetectionLabelsComeFromTheAnnotationsAndOrphansAreRefused() {
        DatasetBuilder d = dataset().csv("filename", "a0.jpg", "a1.jpg").images("a", 2, 48, 32)
                .voc("a0.xml", 48, 32, "cat 1 1 20 20", "dog 10 5 40 30").voc("a1.xml", 48, 32);
        Preflight.Result r = check(d, category("object_detection", "label"));
        assertThat(r.ok()).as("%s", findings(r)).isTrue();
        assertThat(findings(r)).contains("note: label column \"label\" is not in labels.csv: each row's label is its"
                + " annotation's classes");
        assertThat(r.dataset().rows().rows()).extracting(row -> row.get(3) + " " + row.get(5) + " " + row.get(6))
                .containsExactly("cat,dog annotations/a0.xml 2", "null annotations/a1.xml 0");
        assertThat(r.dataset().rows().entries().get(0).files()).containsExactly("images/a0.jpg", "annotations/a0.xml");
        d.voc("orphan.xml", 48, 32, "cat 1 1 2 2");
        assertThat(findings(check(d, category("object_detection", "label")))).contains(
                "error: annotations without their image in images/ (every annotation needs one): annotations/orphan.xml");
        // an annotation may not make the parser read other files
        DatasetBuilder entity = dataset().csv("filename", "a0.jpg").images("a", 1, 48, 32).file("secret.txt", "s3cret")
                .file("annotations/a0.xml", "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:../secret.txt\">]>"
                        + "<annotation><object><name>&x;</name><bndbox><xmin>0</xmin><ymin>0</ymin><xmax>1</xmax><ymax>1</ymax>"
                        + "</bndbox></object></annotation>");
        Preflight.Result withEntity = check(entity, category("object_detection", "label"));
        assertThat(withEntity.ok()).isFalse();
        assertThat(String.join("\n", findings(withEntity))).doesNotContain("s3cret")
                .contains("annotations that cannot be used: annotations/a0.xml");
    }

    @Test
    void keypointsAndMasksBecomeRowColumns() {
        DatasetBuilder kp = dataset().csv("filename,Annotation,Visibility",
                "a0.jpg,\"{\"\"nose\"\": [1, 2.5], \"\"eye\"\": [30, 20]}\",\"{\"\"nose\"\": 2, \"\"eye\"\": 0}\"")
                .images("a", 1, 40, 32);
        Preflight.Result r = check(kp, new ConfigFlags("t", "keypoint_detection", "train", "label", null, null, "40x32", null,
                null, null, null, 2, null));
        assertThat(r.ok()).as("%s", findings(r)).isTrue();
        assertThat(r.dataset().rows().columns()).containsSubsequence("keypoints", "visibility");
        assertThat(r.dataset().rows().rows().get(0).subList(5, 7))
                .containsExactly("{\"nose\":[1.0,2.5],\"eye\":[30.0,20.0]}", "{\"nose\":2,\"eye\":0}");

        DatasetBuilder seg = dataset().csv("filename,mask_id", "a0.jpg,a0_mask", "a1.jpg,a1_mask.png").images("a", 2, 32, 32)
                .mask("a0_mask.png", 32, 32).mask("a1_mask.png", 32, 32).mask("stray_mask.png", 32, 32);
        Preflight.Result s = check(seg, category("semantic_segmentation", "label"));
        assertThat(s.ok()).as("%s", findings(s)).isTrue();
        assertThat(s.dataset().rows().rows()).extracting(row -> row.get(1) + " " + row.get(5))
                .containsExactly("a0.jpg masks/a0_mask.png", "a1.jpg masks/a1_mask.png");
        assertThat(s.dataset().rows().entries().get(1).files()).containsExactly("images/a1.jpg", "masks/a1_mask.png");
        assertThat(findings(s)).contains("note: masks in masks/ for no listed image (not ingested): stray_mask.png");
        assertThat(findings(check(seg.rgbMask("a1_mask.png", 32, 32), category("semantic_segmentation", "label"))))
                .contains("error: masks that are not one class id per pixel (save them as grayscale or palette PNG):"
                        + " masks/a1_mask.png is RGB");
    }

    @Test
    void textFilesAreReadOnceAndTheirTokensCounted() {
        DatasetBuilder d = dataset().file("texts/a.txt", "John  lives\u00a0in\nBerlin\n").file("texts/b.txt", "Hi there")
                .csv("filename,tags", "a.txt,B-PER O O B-LOC", "a,B-PER O O B-LOC", "b.txt,O O");
        Preflight.Result r = check(d, category("token_classification", "tags"));
        assertThat(r.ok()).as("%s", findings(r)).isTrue();
        assertThat(r.dataset().report().distinctLabels()).containsExactly("B-LOC", "B-PER", "O");
        assertThat(r.dataset().rows().rows()).extracting(row -> row.get(1) + " " + row.get(2) + " " + row.get(3))
                .containsExactly("a.txt txt B-PER O O B-LOC", "a.txt txt B-PER O O B-LOC", "b.txt txt O O");
        assertThat(r.dataset().rows().entries().get(2).files()).containsExactly("texts/b.txt");
    }

    @Test
    void tabularLabelsCompareAsTheSchemaTypesThemAndBucketsComeFromTheData() {
        DatasetBuilder numeric = dataset().csv("x,y", "1,1", "2,1.0", "3,2", "4,NA");
        Preflight.Result r = check(numeric, tabular("tabular_classification", "y", null, null, "x:INT"));
        assertThat(r.dataset().report().distinctLabels()).containsExactly("1", "2");
        assertThat(r.dataset().rows().rows()).extracting(row -> row.get(3)).containsExactly("1", "1", "2", null);
        assertThat(findings(r)).contains("note: 1 record has no label (an empty or NA-like value): ingested without one");
        Preflight.Result text = check(numeric, tabular("tabular_classification", "y", null, null, "x:INT,y:VARCHAR(8)"));
        assertThat(text.dataset().report().distinctLabels()).containsExactly("1", "1.0", "2");

        StringBuilder csv = new StringBuilder("rooms,price");
        for (int i = 1; i <= 100; i++) csv.append('\n').append(i % 5).append(',').append(i * 1000);
        DatasetBuilder houses = dataset().csv(csv.toString());
        Preflight.Result deciles = check(houses, tabular("tabular_regression", "price", "bucket", null, null));
        assertThat(deciles.ok()).isTrue();
        assertThat(deciles.dataset().report().distinctLabels()).hasSize(10).contains("[-inf, 11000)", "[91000, inf)");
        assertThat(deciles.dataset().rows().columns()).containsExactly("data_id", "filename", "extension", "label",
                "data_intent", "label_raw", "rooms");
        Preflight.Result edges = check(houses, tabular("tabular_regression", "price", "bucket", List.of(50000.0), null));
        assertThat(edges.dataset().report().distinctLabels()).containsExactly("[-inf, 50000)", "[50000, inf)");
        assertThat(findings(check(dataset().csv("rooms,price", "3,250000", "2,cheap"),
                tabular("tabular_regression", "price", "passthrough", null, null))))
                .containsExactly("error: labels that are not numbers (tabular_regression; set the policy with --label-policy"
                        + " or label.policy): row 2 (line 3) \"cheap\"");
    }

    @Test
    void infiniteNumbersAreNumbersWhereverANumberIsRead() {
        // every spelling a CSV reader takes as a number: bucketed, compared and ordered like one (they crashed the checks)
        Preflight.Result buckets = check(dataset().csv("rooms,price", "3,10", "2,inf", "4,-Infinity", "5,20"),
                tabular("tabular_regression", "price", "bucket", List.of(15.0), null));
        assertThat(buckets.ok()).as("%s", findings(buckets)).isTrue();
        assertThat(buckets.dataset().rows().rows()).extracting(row -> row.get(3) + " " + row.get(5)).containsExactly(
                "[-inf, 15) 10", "[15, inf) inf", "[-inf, 15) -inf", "[15, inf) 20");
        Preflight.Result classes = check(dataset().csv("x,y", "1,INF", "2,inf", "3,1"),
                tabular("tabular_classification", "y", null, null, "x:INT"));
        assertThat(classes.dataset().report().distinctLabels()).containsExactly("1", "inf");
        Preflight.Result survival = check(dataset().csv("time,event", "Infinity,0", "3,1", "-inf,1"),
                tabular("time_to_event_prediction", "event", "passthrough", null, "time:DOUBLE"));
        assertThat(findings(survival)).containsExactly(
                "error: rows whose time is not a number at least 0 (time to event): row 3 (line 4) \"-inf\"");
    }

    @Test
    void aTabularFileGivenAloneIsTheDatasetAndItsSchemaIsInferred() throws Exception {
        DatasetBuilder d = dataset().file("sales.csv", "when,units,price,region\n2024-01-02,3,9.5,north\n2024-01-03 10:00,"
                + "4,10,south\n");
        Preflight.Result r = check(d.dir().resolve("sales.csv"), tabular("tabular_regression", "price", "passthrough", null,
                null));
        assertThat(r.ok()).as("%s", findings(r)).isTrue();
        assertThat(r.config().layout().singleFile()).isTrue();
        assertThat(r.config().layout().upload()).isEqualTo(d.dir().resolve("sales.csv").toAbsolutePath());
        assertThat(r.config().notes()).contains(
                "schema inferred from sales.csv (give --schema to choose): when:TIMESTAMP, units:INT, region:VARCHAR(255)");
        assertThat(r.dataset().rows().columns()).endsWith("when", "units", "region");
    }

    @Test
    void linksThatLeaveTheDatasetAreRefused() throws Exception {
        DatasetBuilder d = good();
        // a link that stays inside is stored like the file it leads to; a broken one is a note
        Files.createSymbolicLink(d.dir().resolve("images/inside.jpg"), d.dir().resolve("images/a0.jpg"));
        Files.createSymbolicLink(d.dir().resolve("dangling"), tmp.resolve("nothing"));
        Preflight.Result ok = check(d.csv("filename,label", "inside.jpg,cat", "a1.jpg,dog"), images());
        assertThat(ok.ok()).isTrue();
        assertThat(findings(ok)).contains("note: broken symbolic links in the dataset folder (not stored): dangling");
        // one that leaves the folder would make a partial version: refused, wherever it is
        Files.write(tmp.resolve("elsewhere.jpg"), DatasetBuilder.jpeg(32, 32, 1));
        Files.createSymbolicLink(d.dir().resolve("images/outside.jpg"), tmp.resolve("elsewhere.jpg"));
        assertThat(findings(check(d, images()))).contains("error: symbolic links that leave the dataset folder (a push stores"
                + " nothing outside it: copy the files in, or remove the links): images/outside.jpg -> "
                + tmp.resolve("elsewhere.jpg").toRealPath());
    }

    /** Every call a check made to its progress reporter, as "done/total". */
    private static List<String> progressOf(DatasetBuilder d, ConfigFlags flags) {
        Preflight.Result r = check(d, flags);
        List<String> calls = new ArrayList<>();
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
        // files: reading the records reports every 1,024 (total not known yet), then each record decided
        DatasetBuilder images = dataset().csv(records("filename,label", 2100, i -> "a" + i + ".jpg," + (i % 2 == 0 ? "cat" : "dog")))
                .images("a", 2100, 32, 32);
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
