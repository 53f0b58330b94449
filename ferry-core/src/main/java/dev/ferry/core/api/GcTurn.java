package dev.ferry.core.api;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Ids;
import dev.ferry.core.run.RunLog;
import dev.ferry.core.run.RunOwner;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * gc's turn on the store across every server sharing the run log ({@code store:gc} claim): the store
 * lock is one machine's, so without this two servers' gcs could run at once. Renewed while gc runs; a
 * gc whose server dies gives up its turn when the lease lapses.
 */
final class GcTurn implements AutoCloseable {
    static final String CLAIM = "store:gc";
    static final Duration LEASE = Duration.ofMinutes(2);

    private final RunLog log;
    private final String holder;
    private final ScheduledExecutorService renewer;

    private GcTurn(RunLog log, String holder) {
        this.log = log;
        this.holder = holder;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ferry-gc-turn");
            t.setDaemon(true);
            return t;
        });
        long every = LEASE.toMillis() / 4;
        renewer.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /** Takes the turn; CONFLICT naming the holder when another gc has it. */
    static GcTurn take(RunLog log, RunOwner owner) {
        String holder = "gc of " + owner.id() + " " + Ids.newId();
        Instant now = Instant.now();
        Optional<String> other = log.claim(CLAIM, holder, now, now.plus(LEASE));
        if (other.isPresent()) {
            throw new FerryException(ErrorCode.CONFLICT, "another gc is running on this store (" + other.get() + ")",
                    "wait for it to finish; the turn of a gc whose server stopped lapses after "
                            + LEASE.toMinutes() + " minutes");
        }
        return new GcTurn(log, holder);
    }

    private void renew() {
        try {
            Instant now = Instant.now();
            log.claim(CLAIM, holder, now, now.plus(LEASE));
        } catch (RuntimeException e) {
            // the database is away for now: the next beat tries again, within the lease
        }
    }

    @Override
    public void close() {
        renewer.shutdownNow();
        try {
            log.release(CLAIM, holder);
        } catch (RuntimeException e) {
            // left behind, it lapses with its lease
        }
    }
}
