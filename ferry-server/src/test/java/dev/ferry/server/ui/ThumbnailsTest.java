package dev.ferry.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.ingest.dataset.DatasetBuilder;
import dev.ferry.core.model.ChunkRef;
import dev.ferry.core.model.Digest;
import dev.ferry.core.model.FileEntry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThumbnailsTest {
    @TempDir
    Path tmp;

    private static FileEntry entry(byte[] content) {
        return new FileEntry("images/x", content.length, 0644, List.of(new ChunkRef(Digest.of(content), content.length)));
    }

    private static Function<FileEntry, InputStream> serving(byte[] content, AtomicInteger reads) {
        return f -> {
            reads.incrementAndGet();
            return new ByteArrayInputStream(content);
        };
    }

    @Test
    void aSmallImageIsItsOwnThumbnailAndALargeOneIsScaledOnceAndCached() throws IOException {
        Thumbnails thumbnails = new Thumbnails(tmp.resolve("thumbnails"));
        AtomicInteger reads = new AtomicInteger();
        byte[] small = DatasetBuilder.jpeg(256, 200, 3);
        Thumbnails.Thumbnail same = thumbnails.of(entry(small), serving(small, reads)).orElseThrow();
        assertThat(same.bytes()).isEqualTo(small);
        assertThat(same.contentType()).isEqualTo("image/jpeg");

        byte[] photo = DatasetBuilder.write(new BufferedImage(1600, 1200, BufferedImage.TYPE_INT_RGB), "png");
        Thumbnails.Thumbnail made = thumbnails.of(entry(photo), serving(photo, reads)).orElseThrow();
        assertThat(made.contentType()).isEqualTo("image/jpeg");
        BufferedImage scaled = ImageIO.read(new ByteArrayInputStream(made.bytes()));
        assertThat(scaled.getWidth()).isEqualTo(Thumbnails.SIZE);
        assertThat(scaled.getHeight()).isEqualTo(Thumbnails.SIZE * 3 / 4);
        int before = reads.get();
        assertThat(thumbnails.of(entry(photo), serving(photo, reads)).orElseThrow().bytes()).isEqualTo(made.bytes());
        assertThat(reads.get()).as("the second comes from the cache").isEqualTo(before);
        try (var files = Files.list(tmp.resolve("thumbnails"))) {
            assertThat(files).singleElement().satisfies(f -> assertThat(f.getFileName().toString())
                    .isEqualTo(Digest.of(photo).hex() + ".jpg"));
        }
    }

    @Test
    void aSmallImageBrowsersDoNotShowIsConvertedAndWhatIsNoImageHasNone() throws IOException {
        Thumbnails thumbnails = new Thumbnails(tmp.resolve("thumbnails"));
        byte[] bmp = DatasetBuilder.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "bmp");
        Thumbnails.Thumbnail converted = thumbnails.of(entry(bmp), serving(bmp, new AtomicInteger())).orElseThrow();
        assertThat(converted.contentType()).isEqualTo("image/jpeg");
        assertThat(ImageIO.read(new ByteArrayInputStream(converted.bytes())).getWidth()).isEqualTo(40); // never enlarged
        byte[] text = "not an image".getBytes();
        assertThat(thumbnails.of(entry(text), serving(text, new AtomicInteger()))).isEmpty();
        byte[] truncated = java.util.Arrays.copyOf(DatasetBuilder.jpeg(900, 900, 1), 300);
        assertThat(thumbnails.of(entry(truncated), serving(truncated, new AtomicInteger()))).isEmpty();
    }
}
