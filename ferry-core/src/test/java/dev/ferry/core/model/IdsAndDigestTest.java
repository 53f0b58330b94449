package dev.ferry.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdsAndDigestTest {

    @Test
    void idsAre27Base62CharactersThatSortByTime() {
        List<String> ids = new ArrayList<>();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 100; i++) {
            ids.add(Ids.newId(t.plusMillis(i * 7L)));
        }
        assertThat(ids).allSatisfy(id -> assertThat(id).matches("[0-9A-Za-z]{27}"));
        assertThat(ids).isSorted();
        assertThat(Ids.timeOf(ids.get(3))).isEqualTo(t.plusMillis(21));
        assertThat(Ids.isId("abc")).isFalse();
        assertThat(Ids.isId(ids.get(0) + "x")).isFalse();
    }

    @Test
    void anIdThatDoesNotSortAfterTheFloorIsReplacedByTheFloorsSuccessor() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        String floor = Ids.newId(t);
        String later = Ids.newId(t.plusMillis(1));
        assertThat(Ids.after(null, floor)).isEqualTo(floor);
        assertThat(Ids.after(floor, later)).isEqualTo(later);
        String next = Ids.after(later, floor);
        assertThat(next).isGreaterThan(later);
        assertThat(Ids.timeOf(next)).isEqualTo(t.plusMillis(1));
        assertThat(Ids.after(next, next)).isGreaterThan(next);
        // the random part all ones: the carry reaches the milliseconds
        byte[] raw = Ids.decode(Ids.newId(t));
        java.util.Arrays.fill(raw, 6, 20, (byte) 0xff);
        String full = Ids.encode(raw);
        assertThat(Ids.timeOf(Ids.after(full, full))).isEqualTo(t.plusMillis(1));
        assertThat(Ids.after(full, full)).isGreaterThan(full);
    }

    @Test
    void idsRoundTripThroughBase62() {
        byte[] raw = new byte[20];
        for (int i = 0; i < 20; i++) raw[i] = (byte) (255 - i);
        assertThat(Ids.decode(Ids.encode(raw))).isEqualTo(raw);
        assertThat(Ids.encode(new byte[20])).isEqualTo("0".repeat(27));
    }

    @Test
    void digestsPrintParseAndOrder() {
        Digest empty = Digest.of(new byte[0]);
        assertThat(empty.toString()).isEqualTo("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Digest.parse(empty.toString())).isEqualTo(empty);
        assertThat(Digest.parse(empty.hex())).isEqualTo(empty);
        assertThat(Digest.fromBytes(empty.toBytes())).isEqualTo(empty).hasSameHashCodeAs(empty);
        assertThat(empty.shortHex()).isEqualTo("e3b0c44298fc");
        assertThatThrownBy(() -> Digest.parse("sha256:xyz")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Digest.parse("z".repeat(64))).isInstanceOf(IllegalArgumentException.class);
        Digest a = Digest.parse("00".repeat(32));
        Digest b = Digest.parse("ff".repeat(32));
        assertThat(a.compareTo(b)).isNegative();
    }

    @Test
    void namesFollowTheRules() {
        assertThat(Names.checkRepo("cats_dogs-train.v2")).isEqualTo("cats_dogs-train.v2");
        for (String bad : new String[] {"", "-x", "a b", "a/b", "x".repeat(64), "..", "é"}) {
            assertThatThrownBy(() -> Names.checkRepo(bad)).as(bad).hasMessageContaining("invalid repo name");
        }
        assertThatThrownBy(() -> Names.checkLabel(Ids.newId())).hasMessageContaining("shape of a bundle id");
        assertThat(BundleRef.parse("prod")).isEqualTo(BundleRef.label("prod"));
        String id = Ids.newId();
        assertThat(BundleRef.parse(id)).isEqualTo(BundleRef.id(id));
    }

    @Test
    void fileDigestIsTheContentDigestForOneChunk() {
        Digest d = Digest.of("hello".getBytes());
        assertThat(new FileEntry("a", 5, 0644, List.of(new ChunkRef(d, 5))).digest()).isEqualTo(d);
        assertThat(new FileEntry("a", 0, 0644, List.of()).digest()).isEqualTo(Digest.EMPTY);
        FileEntry two = new FileEntry("a", 10, 0644, List.of(new ChunkRef(d, 5), new ChunkRef(d, 5)));
        assertThat(two.digest()).isNotEqualTo(d);
        assertThat(two.modeString()).isEqualTo("0644");
    }
}
