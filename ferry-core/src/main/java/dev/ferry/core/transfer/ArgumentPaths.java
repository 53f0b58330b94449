package dev.ferry.core.transfer;

import dev.ferry.core.error.FerryException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Paths given on the command line. The JVM decodes arguments as UTF-8 (the launcher sees to that), and
 * every byte sequence that is not UTF-8 becomes U+FFFD, so such a path names another file: a folder
 * that "does not exist", or a destination created under another name. Both are said as what they are.
 */
public final class ArgumentPaths {
    private static final char REPLACEMENT = '\uFFFD';

    private ArgumentPaths() {}

    /**
     * Fails when {@code path} holds U+FFFD and does not exist: most likely its name is not UTF-8 (a
     * real name with U+FFFD in it exists, and passes).
     */
    public static void requireDecodable(Path path, String option) {
        if (path.toString().indexOf(REPLACEMENT) >= 0 && !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw FerryException.invalid(option + " " + path + " is not valid UTF-8 (shown with \uFFFD where its bytes"
                    + " are not), so Ferry cannot name it",
                    "rename it to UTF-8 (e.g. convmv -f latin1 -t utf8 --notest <name>) or use a UTF-8 name, and retry");
        }
    }
}
