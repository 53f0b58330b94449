package dev.ferry.core.api;

import dev.ferry.core.pack.PackInfo;
import dev.ferry.core.pack.PackStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault injection around a real pack store: after a budget of bytes, every write fails the way a full
 * disk fails (ENOSPC). Everything else goes to the real store.
 */
final class FaultyPackStore implements PackStore {
    private final PackStore real;
    private final AtomicLong budget;

    FaultyPackStore(PackStore real, long bytesBeforeFull) {
        this.real = real;
        this.budget = new AtomicLong(bytesBeforeFull);
    }

    @Override
    public PackOutput create(String packId) throws IOException {
        PackOutput out = real.create(packId);
        return new PackOutput() {
            @Override
            public void write(java.nio.ByteBuffer data) throws IOException {
                if (budget.addAndGet(-data.remaining()) < 0) {
                    throw new IOException("No space left on device");
                }
                out.write(data);
            }

            @Override
            public long size() {
                return out.size();
            }

            @Override
            public void commit() throws IOException {
                out.commit();
            }

            @Override
            public void close() {
                out.close();
            }
        };
    }

    @Override
    public byte[] read(String packId, long offset, int length) throws IOException {
        return real.read(packId, offset, length);
    }

    @Override
    public InputStream open(String packId) throws IOException {
        return real.open(packId);
    }

    @Override
    public long size(String packId) throws IOException {
        return real.size(packId);
    }

    @Override
    public List<PackInfo> list() throws IOException {
        return real.list();
    }

    @Override
    public boolean delete(String packId) throws IOException {
        return real.delete(packId);
    }

    @Override
    public int removeAbandoned(Duration olderThan) throws IOException {
        return real.removeAbandoned(olderThan);
    }

    @Override
    public String locate(String packId) {
        return real.locate(packId);
    }

    @Override
    public String describe() {
        return real.describe();
    }

    @Override
    public void writeJournal(String name, byte[] content) throws IOException {
        if (budget.addAndGet(-content.length) < 0) {
            throw new IOException("No space left on device");
        }
        real.writeJournal(name, content);
    }

    @Override
    public List<String> listJournal() throws IOException {
        return real.listJournal();
    }

    @Override
    public byte[] readJournal(String name) throws IOException {
        return real.readJournal(name);
    }

    @Override
    public void close() throws IOException {
        real.close();
    }
}
