package dev.ferry.core.model;

import dev.ferry.core.error.FerryException;
import java.util.regex.Pattern;

/** The rules for user-chosen names, checked once here for every interface. */
public final class Names {
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private Names() {}

    public static String checkRepo(String name) {
        if (name == null || !REPO.matcher(name).matches()) {
            throw FerryException.invalid(
                    "invalid repo name '" + name + "'",
                    "use 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
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
}
