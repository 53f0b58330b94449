package dev.ferry.core.blob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.model.Digest;
import dev.ferry.core.pack.BlobLocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link BlobIndex} must do, run against SQLite and PostgreSQL alike. */
public abstract class BlobIndexContract {
    protected BlobIndex index;

    /** A fresh, empty index. */
    protected abstract BlobIndex newIndex() throws Exception;

    /** Releases what {@link #newIndex} opened. */
    protected abstract void closeIndex() throws Exception;

    @BeforeEach
    void open() throws Exception {
        index = newIndex();
    }

    @AfterEach
    void close() throws Exception {
        closeIndex();
    }

    private static Digest digest(int n) {
        return Digest.of(new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16)});
    }

    @Test
    void blobIndex() {
        Digest x = digest(1);
        Digest y = digest(2);
        Digest z = digest(3);
        index.addPack(new PackRecord("p1", 1000, 2, Instant.now()),
                List.of(new BlobLocation(x, "p1", 8, 10), new BlobLocation(y, "p1", 18, 20)), false);
        // a duplicate keeps its first location unless relocated on purpose
        index.addPack(new PackRecord("p2", 500, 2, Instant.now()),
                List.of(new BlobLocation(y, "p2", 8, 20), new BlobLocation(z, "p2", 28, 5)), false);
        assertThat(index.hasBlob(x)).isTrue();
        assertThat(index.hasBlob(digest(4))).isFalse();
        Map<Digest, BlobLocation> found = index.locate(List.of(x, y, z, digest(4)));
        assertThat(found).containsOnlyKeys(x, y, z);
        assertThat(found.get(y).packId()).isEqualTo("p1");
        assertThat(index.blobsInPack("p2")).extracting(BlobLocation::digest).containsExactly(z);
        index.addPack(new PackRecord("p3", 100, 1, Instant.now()), List.of(new BlobLocation(y, "p3", 8, 20)), true);
        assertThat(index.locate(List.of(y)).get(y).packId()).isEqualTo("p3");
        index.removePacks(List.of("p1"));
        assertThat(index.hasBlob(x)).isFalse();
        assertThat(index.hasBlob(y)).isTrue();
        assertThat(index.listPacks()).extracting(PackRecord::id).containsExactly("p2", "p3");
        List<BlobLocation> all = new ArrayList<>();
        index.forEachBlob(all::add);
        assertThat(all).extracting(BlobLocation::digest).containsExactlyInAnyOrder(y, z);
    }

    @Test
    void aDamagedBlobLeavesTheIndexUntilItIsStoredAgain() {
        Digest x = digest(21);
        Digest y = digest(22);
        index.addPack(new PackRecord("p1", 100, 2, Instant.now()),
                List.of(new BlobLocation(x, "p1", 8, 10), new BlobLocation(y, "p1", 18, 10)), false);
        assertThat(index.anyDamaged()).isFalse();
        Instant found = Instant.parse("2026-12-01T10:00:00Z");
        // a stale location (not where the index has it) is not recorded
        index.markDamaged(List.of(new BlobLocation(x, "p1", 8, 10), new BlobLocation(y, "elsewhere", 8, 10)),
                "its bytes do not match the digest", found);
        assertThat(index.hasBlob(x)).isFalse();
        assertThat(index.hasBlob(y)).isTrue();
        assertThat(index.damagedBlobs()).containsExactly(
                new DamagedBlob(new BlobLocation(x, "p1", 8, 10), "its bytes do not match the digest", found));
        assertThat(index.anyDamaged()).isTrue();
        index.addPack(new PackRecord("p2", 100, 1, Instant.now()), List.of(new BlobLocation(x, "p2", 8, 10)), false);
        assertThat(index.locate(List.of(x)).get(x).packId()).isEqualTo("p2");
        assertThat(index.damagedBlobs()).isEmpty();
        assertThat(index.anyDamaged()).as("healed by the new copy").isFalse();
        index.markDamaged(List.of(new BlobLocation(y, "p1", 18, 10)), "its pack file is missing", found);
        index.forgetDamaged(List.of(y));
        assertThat(index.damagedBlobs()).isEmpty();
    }

    @Test
    void packsCreatedSinceATimeAndEveryDigest() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Digest x = digest(11);
        Digest y = digest(12);
        Digest z = digest(13);
        index.addPack(new PackRecord("p1", 100, 1, t0), List.of(new BlobLocation(x, "p1", 8, 10)), false);
        index.addPack(new PackRecord("p2", 100, 2, t0.plusSeconds(3600)),
                List.of(new BlobLocation(y, "p2", 8, 10), new BlobLocation(z, "p2", 18, 10)), false);
        index.addPack(new PackRecord("p3", 100, 0, t0.plusSeconds(7200)), List.of(), false);
        assertThat(index.packsCreatedSince(t0.plusSeconds(3600))).extracting(PackRecord::id).containsExactly("p2", "p3");
        assertThat(index.packsCreatedSince(t0.plusSeconds(3600).plusMillis(1))).extracting(PackRecord::id)
                .containsExactly("p3");
        assertThat(index.packsCreatedSince(t0.plusSeconds(3600)).getFirst().createdAt()).isEqualTo(t0.plusSeconds(3600));
        assertThat(index.packsCreatedSince(t0.plusSeconds(9000))).isEmpty();
        List<Digest> all = new ArrayList<>();
        index.forEachDigest(all::add);
        assertThat(all).containsExactlyInAnyOrder(x, y, z);
    }

    @Test
    void locateHandlesMoreDigestsThanOneQueryTakes() {
        List<BlobLocation> blobs = new ArrayList<>();
        for (int i = 0; i < 1300; i++) {
            blobs.add(new BlobLocation(digest(i), "p", 8 + i, 1));
        }
        index.addPack(new PackRecord("p", 2000, blobs.size(), Instant.now()), blobs, false);
        List<Digest> wanted = blobs.stream().map(BlobLocation::digest).toList();
        assertThat(index.locate(wanted)).hasSize(1300);
    }

    @Test
    void whatWasMadeOfAContentIsRecordedOnceAndForgottenWithIt() {
        Digest photo = digest(31);
        Digest icon = digest(32);
        Digest text = digest(33);
        Digest thumb = digest(34);
        Instant at = Instant.parse("2026-12-07T20:00:00Z");
        assertThat(index.derived("thumbnail-192", List.of(photo, icon, text))).isEmpty();
        index.recordDerived(List.of(new DerivedBlob(photo, "thumbnail-192", Optional.of(thumb)),
                new DerivedBlob(icon, "thumbnail-192", Optional.of(icon)), // serves as it is
                new DerivedBlob(text, "thumbnail-192", Optional.empty())), at); // nothing can be made of it
        Map<Digest, DerivedBlob> found = index.derived("thumbnail-192", List.of(photo, icon, text, digest(35)));
        assertThat(found).containsOnlyKeys(photo, icon, text);
        assertThat(found.get(photo).derived()).contains(thumb);
        assertThat(found.get(icon).derived()).contains(icon);
        assertThat(found.get(text).derived()).isEmpty();
        assertThat(index.derived("thumbnail-384", List.of(photo))).as("another kind").isEmpty();

        // a second server's record of the same source leaves the first one
        index.recordDerived(List.of(new DerivedBlob(photo, "thumbnail-192", Optional.of(digest(36))),
                new DerivedBlob(photo, "thumbnail-384", Optional.of(digest(37)))), at.plusSeconds(1));
        assertThat(index.derived("thumbnail-192", List.of(photo)).get(photo).derived()).contains(thumb);
        List<DerivedBlob> all = new ArrayList<>();
        index.forEachDerived(all::add);
        assertThat(all).hasSize(4);

        index.forgetDerived(List.of(photo));
        all.clear();
        index.forEachDerived(all::add);
        assertThat(all).extracting(DerivedBlob::source).containsExactlyInAnyOrder(icon, text);

        // more sources than one query takes
        List<DerivedBlob> many = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            many.add(new DerivedBlob(digest(1000 + i), "thumbnail-192", Optional.of(digest(9000 + i))));
        }
        index.recordDerived(many, at);
        assertThat(index.derived("thumbnail-192", many.stream().map(DerivedBlob::source).toList())).hasSize(2500);
    }
}
