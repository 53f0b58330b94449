package dev.ferry.cli;

/** How a command prints its result on stdout. */
enum OutputFormat {
    text,
    json,
    /** Kubernetes manifests (only 'cluster install --dry-run' prints them). */
    yaml
}
