package dev.ferry.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.model.Ids;
import dev.ferry.core.pack.PackStore;
import dev.ferry.core.pack.PackStoreContract;
import dev.ferry.core.testing.TestFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pack store contract on S3 (s3proxy), each test in a fresh bucket, plus what only S3 has. */
class S3PackStoreTest extends PackStoreContract {
    @TempDir
    static Path tmp;
    static S3Proxy proxy;
    static final AtomicInteger BUCKETS = new AtomicInteger();

    @BeforeAll
    static void startProxy() throws Exception {
        proxy = S3Proxy.start(tmp.resolve("s3"));
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) proxy.close();
    }

    @Override
    protected PackStore newStore() throws IOException {
        String bucket = "ferry-" + BUCKETS.incrementAndGet();
        var client = proxy.client();
        client.createBucket(b -> b.bucket(bucket));
        return new S3PackStore(client, new S3Location(bucket, "team/store"), tmp.resolve("spool-" + bucket));
    }

    @Test
    void aLargePackGoesInPartsAndReadsBackWhole() throws IOException {
        byte[] content = TestFiles.randomBytes(31, (int) (2.5 * S3PackStore.PART_BYTES));
        String id = Ids.newId();
        try (PackStore.PackOutput out = store.create(id)) {
            out.write(ByteBuffer.wrap(content));
            out.commit();
        }
        assertThat(store.size(id)).isEqualTo(content.length);
        int at = (int) S3PackStore.PART_BYTES - 10; // across the first part boundary
        assertThat(store.read(id, at, 20)).isEqualTo(java.util.Arrays.copyOfRange(content, at, at + 20));
        assertThat(store.locate(id)).startsWith("s3://").contains("/team/store/packs/").endsWith(id + ".pack");
    }
}
