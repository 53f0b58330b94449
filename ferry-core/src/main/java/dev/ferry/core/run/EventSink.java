package dev.ferry.core.run;

/** Receives a run's events in order while watching it. */
public interface EventSink {
    /** One event; return false to stop watching. */
    boolean accept(LoggedEvent event);

    /** Called when no event came for a while; return false to stop watching (e.g. the client went away). */
    default boolean idle() {
        return true;
    }
}
