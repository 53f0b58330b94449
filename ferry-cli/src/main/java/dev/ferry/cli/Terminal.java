package dev.ferry.cli;

import java.io.Console;
import java.util.Map;

/** Whether stderr is a terminal that should get progress bars and colour. */
final class Terminal {
    private Terminal() {}

    /** Set by the launcher: "1" when stderr is a terminal, "0" when not (asking the JVM costs ~10 ms of start-up). */
    static final String TTY_ENV = "FERRY_STDERR_TTY";

    static boolean interactive(Map<String, String> env) {
        if (env.containsKey("NO_COLOR") || "dumb".equals(env.get("TERM"))) {
            return false;
        }
        String told = env.get(TTY_ENV);
        if (told != null) {
            return told.equals("1");
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // Since JDK 22 System.console() exists even when redirected; isTerminal() tells the truth.
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console means a terminal
        }
    }
}
