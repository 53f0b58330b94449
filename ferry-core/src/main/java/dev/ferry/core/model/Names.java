package dev.ferry.core.model;

import dev.ferry.core.error.FerryException;
import java.util.regex.Pattern;

/** The rules for user-chosen names, checked once here for every interface. */
public final class Names {
    // a leading '_' too: a dataset's table name may start with one (ingest.v1), and its repo has its name
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,62}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private Names() {}

    /** Whether a name is a valid repo name. */
    public static boolean isRepo(String name) {
        return name != null && REPO.matcher(name).matches();
    }

    public static String checkRepo(String name) {
        if (name == null || !REPO.matcher(name).matches()) {
            throw FerryException.invalid(
                    "invalid repo name '" + name + "'",
                    "use 1-63 letters, digits, '.', '_' or '-', starting with a letter, digit or '_'");
        }
        return name;
    }

    public static String checkLabel(String name) {
        if (name == null || !LABEL.matcher(name).matches()) {
            throw FerryException.invalid(
                    "invalid label name '" + name + "'",
                    "use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (Ids.isId(name)) {
            throw FerryException.invalid(
                    "invalid label name '" + name + "': it has the shape of a bundle id",
                    "choose a name that is not 27 letters and digits");
        }
        return name;
    }

    public static String checkBundleId(String id) {
        if (!Ids.isId(id)) {
            throw FerryException.invalid(
                    "invalid bundle id '" + id + "'", "bundle ids are 27 letters and digits; see 'ferry bundle list'");
        }
        return id;
    }

    public static String checkRunId(String id) {
        if (!Ids.isId(id)) {
            throw FerryException.invalid("invalid run id '" + id + "'", "run ids are 27 letters and digits; see 'ferry runs list'");
        }
        return id;
    }

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

    public static String checkIdempotencyKey(String key) {
        if (key == null || !IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw FerryException.invalid("invalid idempotency key '" + key + "'",
                    "use 1-200 printable ASCII characters without spaces, e.g. a UUID");
        }
        return key;
    }
}
