package dev.ferry.core.run;

import java.time.Instant;

/** An event as the log holds it: its run, its place in the run ({@code seq} from 1, no gaps) and its time. */
public record LoggedEvent(String runId, long seq, Instant at, RunEvent event) {}
