package dev.ferry.core.model;

/** How a command names a bundle: by id, or by a label of the repo. */
public sealed interface BundleRef {
    record ById(String id) implements BundleRef {
        @Override
        public String toString() {
            return "bundle " + id;
        }
    }

    record ByLabel(String label) implements BundleRef {
        @Override
        public String toString() {
            return "label '" + label + "'";
        }
    }

    static BundleRef id(String id) {
        return new ById(id);
    }

    static BundleRef label(String label) {
        return new ByLabel(label);
    }

    /** A bare reference: an id if it has the shape of one, else a label name. */
    static BundleRef parse(String text) {
        return Ids.isId(text) ? new ById(text) : new ByLabel(text);
    }
}
