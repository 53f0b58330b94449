package dev.ferry.core.pack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.model.Ids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPackStoreTest extends PackStoreContract {
    @TempDir
    Path dir;

    @Override
    protected PackStore newStore() throws IOException {
        return new LocalPackStore(dir.resolve("store"));
    }

    @Test
    void packsFanOutByTheirRandomTailAndPartialsLiveInTmp() throws IOException {
        String id = Ids.newId();
        PackStore.PackOutput out = store.create(id);
        out.write(java.nio.ByteBuffer.wrap(new byte[1]));
        assertThat(dir.resolve("store/tmp/" + id + ".pack.partial")).exists();
        out.commit();
        Path expected = dir.resolve("store/packs/" + id.substring(25) + "/" + id + ".pack");
        assertThat(expected).exists();
        assertThat(store.locate(id)).isEqualTo(expected.toString());
        assertThat(Files.list(dir.resolve("store/tmp"))).isEmpty();
    }
}
