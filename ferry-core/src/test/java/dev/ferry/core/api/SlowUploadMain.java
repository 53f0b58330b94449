package dev.ferry.core.api;

import dev.ferry.core.blob.PackedBlobStore;
import dev.ferry.core.jdbc.JdbcDatabase;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.model.Author;
import dev.ferry.core.pack.LocalPackStore;
import dev.ferry.core.transfer.TransferListener;
import java.nio.file.Path;

/**
 * A child process for multi-process tests: uploads slowly into small packs, so that it can be killed
 * mid-way or overlap with another process. Arguments: home, folder, repo, [label].
 */
public final class SlowUploadMain {
    public static void main(String[] args) throws Exception {
        FerryHome home = new FerryHome(Path.of(args[0]));
        JdbcDatabase db = JdbcDatabase.sqlite(home.catalogFile());
        LocalPackStore packs = new LocalPackStore(home.storeDir());
        db.catalog().journalTo(new dev.ferry.core.catalog.StoreJournal(packs));
        LocalFerry ferry = new LocalFerry(home, new Author("child", ""), db, packs,
                new PackedBlobStore(packs, db.blobIndex(), db.catalog(), 32 * 1024, 2), 2);
        String label = args.length > 3 ? args[3] : null;
        ferry.uploadNow(new UploadRequest(Path.of(args[1]), args[2], "slow", label), dev.ferry.core.run.RunContext.listening(new TransferListener() {
            @Override
            public void fileDone() {
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        System.exit(0);
    }
}
