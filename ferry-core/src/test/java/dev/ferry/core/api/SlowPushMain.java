package dev.ferry.core.api;

import dev.ferry.core.home.FerryHome;
import dev.ferry.core.ingest.ConfigFlags;
import dev.ferry.core.run.RunContext;
import dev.ferry.core.run.RunState;
import dev.ferry.core.transfer.TransferListener;
import java.nio.file.Path;

/**
 * A child process for kill tests: pushes a dataset and, once its files are stored and its records are
 * being checked, says "checking" and slows down, so that it can be killed between staging and commit.
 * Arguments: home, dataset folder, table.
 */
public final class SlowPushMain {
    public static void main(String[] args) throws Exception {
        LocalFerry ferry = LocalFerry.open(new FerryHome(Path.of(args[0])));
        ConfigFlags flags = new ConfigFlags(args[2], "image_classification", "train", "label", null,
                null, null, null, null, null, null, null, null);
        RunContext slow = new RunContext() {
            boolean said;

            @Override public String runId() { return "child"; }
            @Override public void enter(RunState state, String message) {}
            @Override public void claim(String target, String detail) {}
            @Override public TransferListener transfers() { return TransferListener.NONE; }
            @Override public void log(String level, String message) {}
            @Override public boolean cancelled() { return false; }

            @Override
            public void records(long done, long total) {
                if (!said) {
                    System.out.println("checking");
                    System.out.flush();
                    said = true;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ferry.pushNow(new PushRequest(Path.of(args[1]), null, flags, "slow", "v1"), slow);
        System.exit(0);
    }
}
