package dev.ferry.cli;

import dev.ferry.core.model.BundleRef;
import picocli.CommandLine.Option;

/** Exactly one of --bundle ID or --label NAME. */
final class BundleSelector {
    @Option(names = "--bundle", paramLabel = "ID", required = true, description = "Bundle id.")
    String bundle;

    @Option(names = "--label", paramLabel = "LABEL", required = true, description = "Label naming the bundle.")
    String label;

    BundleRef ref() {
        return bundle != null ? BundleRef.id(bundle) : BundleRef.label(label);
    }
}
