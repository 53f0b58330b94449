package dev.ferry.core.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a run is: {@code received → planning → staging → executing → completed | failed | cancelled},
 * or {@code delegated} when its work was already done (identical content: the existing version is
 * its result). Derived from the run's events, never stored on its own.
 */
public enum RunState {
    RECEIVED, PLANNING, STAGING, EXECUTING, COMPLETED, FAILED, CANCELLED, DELEGATED;

    public boolean terminal() {
        return ordinal() >= COMPLETED.ordinal();
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RunState of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
