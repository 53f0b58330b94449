package dev.ferry.core.transfer;

import dev.ferry.core.error.FerryException;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code --name-filter}: a Java regular expression found anywhere in a file's path; none keeps all. */
public final class NameFilter {
    private NameFilter() {}

    public static Predicate<String> of(String regex) {
        if (regex == null || regex.isEmpty()) {
            return path -> true;
        }
        try {
            Pattern pattern = Pattern.compile(regex);
            return path -> pattern.matcher(path).find();
        } catch (PatternSyntaxException e) {
            throw FerryException.invalid("invalid --name-filter regular expression: " + e.getDescription() + " in '"
                    + regex + "'", "use a Java regular expression, e.g. '\\.csv$'");
        }
    }
}
