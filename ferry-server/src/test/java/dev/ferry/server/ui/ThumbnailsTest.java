package dev.ferry.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.blob.DerivedBlob;
import dev.ferry.core.home.FerryHome;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thumbnails over a real store: made once, kept in the store for every server of it (a second
 * {@link Thumbnails} with its own disk copies stands for another server), made again when the stored
 * one is unreadable, and made ahead for a whole version.
 */
class ThumbnailsTest {
    @TempDir
    Path tmp;
    LocalFerry ferry;
    /** The contents the tests' files have, by digest, and how often each server read one. */
    final Map<Digest, byte[]> contents = new HashMap<>();
    final AtomicInteger reads = new AtomicInteger();
    final List<Thumbnails> opened = new ArrayList<>();

    @BeforeEach
    void open() {
        ferry = LocalFerry.open(new FerryHome(tmp.resolve("home")));
    }

    @AfterEach
    void close() {
        opened.forEach(Thumbnails::close);
        ferry.close();
    }

    /** A server's thumbnails: its own disk copies under {@code name}, the one store. */
    private Thumbnails server(String name) {
        Function<FileEntry, InputStream> content = f -> {
            reads.incrementAndGet();
            return new ByteArrayInputStream(contents.get(f.digest()));
        };
        Thumbnails t = new Thumbnails(tmp.resolve(name), ferry.derivedBlobs(), content);
        opened.add(t);
        return t;
    }

    private FileEntry entry(byte[] content) {
        contents.put(Digest.of(content), content);
        return new FileEntry("images/x", content.length, 0644, List.of(new ChunkRef(Digest.of(content), content.length)));
    }

    private DerivedBlob recorded(FileEntry file) {
        return ferry.derivedBlobs().find(Thumbnails.KIND, List.of(file.digest())).get(file.digest());
    }

    @Test
    void aSmallImageIsItsOwnThumbnailALargeOneIsScaledOnceAndAnotherServerFindsBothInTheStore() throws IOException {
        Thumbnails first = server("first");
        byte[] smallBytes = DatasetBuilder.jpeg(256, 200, 3);
        FileEntry small = entry(smallBytes);
        Thumbnails.Thumbnail same = first.of(small).orElseThrow();
        assertThat(same.bytes()).isEqualTo(smallBytes);
        assertThat(same.contentType()).isEqualTo("image/jpeg");

        FileEntry photo = entry(DatasetBuilder.write(new BufferedImage(1600, 1200, BufferedImage.TYPE_INT_RGB), "png"));
        Thumbnails.Thumbnail made = first.of(photo).orElseThrow();
        assertThat(made.contentType()).isEqualTo("image/jpeg");
        BufferedImage scaled = ImageIO.read(new ByteArrayInputStream(made.bytes()));
        assertThat(scaled.getWidth()).isEqualTo(ThumbnailImages.SIZE);
        assertThat(scaled.getHeight()).isEqualTo(ThumbnailImages.SIZE * 3 / 4);
        int before = reads.get();
        assertThat(first.of(photo).orElseThrow().bytes()).isEqualTo(made.bytes());
        assertThat(reads.get()).as("the second comes from this server's disk copy").isEqualTo(before);
        try (var files = Files.list(tmp.resolve("first"))) {
            assertThat(files).singleElement().satisfies(f -> assertThat(f.getFileName().toString())
                    .isEqualTo(photo.digest().hex() + ".jpg"));
        }

        first.close(); // stores what it made (a server's stop)
        assertThat(recorded(small).derived()).as("serves as it is").contains(small.digest());
        assertThat(recorded(photo).derived()).hasValueSatisfying(d -> assertThat(d).isNotEqualTo(photo.digest()));

        Thumbnails second = server("second");
        before = reads.get();
        assertThat(second.of(photo).orElseThrow().bytes()).as("the same JPEG, read from the store").isEqualTo(made.bytes());
        assertThat(reads.get()).as("no image read, none decoded").isEqualTo(before);
        assertThat(second.of(small).orElseThrow().bytes()).isEqualTo(smallBytes);
    }

    @Test
    void whatIsNoImageIsRecordedAsSuchAndASmallImageBrowsersDoNotShowIsConverted() throws IOException {
        Thumbnails first = server("first");
        FileEntry bmp = entry(DatasetBuilder.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "bmp"));
        Thumbnails.Thumbnail converted = first.of(bmp).orElseThrow();
        assertThat(converted.contentType()).isEqualTo("image/jpeg");
        assertThat(ImageIO.read(new ByteArrayInputStream(converted.bytes())).getWidth()).isEqualTo(40); // never enlarged
        FileEntry text = entry("not an image".getBytes());
        assertThat(first.of(text)).isEmpty();
        FileEntry truncated = entry(java.util.Arrays.copyOf(DatasetBuilder.jpeg(900, 900, 1), 300));
        assertThat(first.of(truncated)).isEmpty();
        first.close();
        assertThat(recorded(text).derived()).isEmpty();
        assertThat(recorded(truncated).derived()).isEmpty();

        Thumbnails second = server("second");
        int before = reads.get();
        assertThat(second.of(text)).isEmpty();
        assertThat(second.of(truncated)).isEmpty();
        assertThat(reads.get()).as("not tried again").isEqualTo(before);
    }

    @Test
    void aStoredThumbnailThatCannotBeReadIsMadeAgain() throws IOException {
        Thumbnails first = server("first");
        FileEntry photo = entry(DatasetBuilder.write(new BufferedImage(900, 600, BufferedImage.TYPE_INT_RGB), "png"));
        byte[] made = first.of(photo).orElseThrow().bytes();
        first.close();
        try (var packs = Files.walk(tmp.resolve("home"))) {
            for (Path p : packs.filter(p -> p.getFileName().toString().endsWith(".pack")).toList()) {
                Files.delete(p); // the thumbnail's pack is gone
            }
        }
        Thumbnails second = server("second");
        int before = reads.get();
        assertThat(second.of(photo).orElseThrow().bytes()).isEqualTo(made);
        assertThat(reads.get()).as("made again from the image").isEqualTo(before + 1);
        assertThat(recorded(photo)).as("the unreadable record is forgotten").isNull();
        second.close();
        assertThat(recorded(photo)).as("and recorded again").isNotNull();
    }

    @Test
    void aDamagedImageDoesNotStopAVersionsBuild() throws Exception {
        FileEntry good = entry(DatasetBuilder.write(new BufferedImage(700, 500, BufferedImage.TYPE_INT_RGB), "png"));
        byte[] damagedBytes = DatasetBuilder.jpeg(64, 64, 9);
        FileEntry damaged = entry(damagedBytes);
        contents.remove(damaged.digest()); // its content cannot be read
        Thumbnails first = new Thumbnails(tmp.resolve("first"), ferry.derivedBlobs(), f -> {
            if (!contents.containsKey(f.digest())) {
                throw new dev.ferry.core.error.FerryException(dev.ferry.core.error.ErrorCode.DATA_CORRUPT, "damaged", null);
            }
            return new ByteArrayInputStream(contents.get(f.digest()));
        });
        opened.add(first);
        Thumbnails.Build build = first.buildAll("pets/v2", () -> 2, () -> List.of(damaged, good));
        while (!build.finished()) {
            Thread.sleep(20);
        }
        assertThat(build.failure()).isNull();
        assertThat(build.done()).isEqualTo(2);
        assertThat(recorded(good)).isNotNull();
        assertThat(recorded(damaged)).as("not recorded: a push may store it again").isNull();
    }

    @Test
    void aVersionOfTooManyFilesIsNotListedAhead() {
        Thumbnails first = server("first");
        Thumbnails.Build build = first.buildAll("huge/v1", () -> Thumbnails.MAX_BUILD_FILES + 1L, () -> {
            throw new AssertionError("not listed");
        });
        assertThat(build.finished()).isTrue();
        assertThat(build.failure()).contains("200,000 files", "as pages show them");
    }

    @Test
    void aVersionsThumbnailsAreMadeAheadOnceAndThenServedWithoutReadingItsImages() throws Exception {
        List<FileEntry> images = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            images.add(i % 3 == 0
                    ? entry(DatasetBuilder.write(new BufferedImage(800 + i, 500, BufferedImage.TYPE_INT_RGB), "png"))
                    : entry(DatasetBuilder.jpeg(64 + i, 64, i)));
        }
        images.add(images.get(1)); // the same content twice is made once
        Thumbnails first = server("first");
        Thumbnails.Build build = first.buildAll("pets/v1", images::size, () -> images);
        assertThat(first.buildAll("pets/v1", () -> 0, () -> List.of())).as("one build per version").isSameAs(build);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!build.finished() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(build.finished()).isTrue();
        assertThat(build.failure()).isNull();
        assertThat(build.total()).isEqualTo(24);
        assertThat(build.done()).isEqualTo(24);
        assertThat(reads.get()).isEqualTo(24);
        assertThat(ferry.derivedBlobs().find(Thumbnails.KIND, images.stream().map(FileEntry::digest).toList())).hasSize(24);

        Thumbnails second = server("second");
        int before = reads.get();
        for (int i = 0; i < 24; i += 3) {
            assertThat(ImageIO.read(new ByteArrayInputStream(second.of(images.get(i)).orElseThrow().bytes())).getWidth())
                    .isEqualTo(ThumbnailImages.SIZE);
        }
        assertThat(reads.get()).as("the scaled ones come from the store").isEqualTo(before);
        Thumbnails.Build again = second.buildAll("pets/v1", images::size, () -> images);
        while (!again.finished()) {
            Thread.sleep(20);
        }
        assertThat(reads.get()).as("a second server's build finds every one made").isEqualTo(before);
    }
}
