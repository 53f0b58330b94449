package dev.ferry.core.run;

import java.util.Map;
import java.util.Optional;

/**
 * Makes the {@link RunExecutor} a server's environment asks for instead of its own threads (a module on
 * the class path registers it in {@code META-INF/services}; the server asks each at start).
 */
public interface RunExecutorProvider {
    /** An executor for this environment, or empty when it does not ask for this one. */
    Optional<RunExecutor> create(Map<String, String> env);
}
