package dev.ferry.k8s;

import dev.ferry.core.error.FerryException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a Ferry release in a namespace is made of: the server's image, where its data lives (a PVC, or
 * an S3 store with a shared PostgreSQL catalog), and who may ingest into which tables.
 *
 * @param storeUrl      {@code s3://bucket/prefix}, or null for a PVC
 * @param pvc           the PVC that holds FERRY_HOME when the store is not S3: an existing one, or
 *                      {@value #DEFAULT_PVC}, made by the install
 * @param catalogSecret a Secret whose key {@code url} is the catalog's JDBC URL (PostgreSQL), or null
 *                      for SQLite on the PVC
 */
public record ReleaseSpec(String namespace, String image, String storeUrl, String pvc, String pvcSize,
        String catalogSecret, List<AuthorizationRule> rules, String version, Workers workers) {

    /**
     * What each run's Job asks for: CPU and memory requests (Kubernetes quantities) and how long it may
     * run ({@code activeDeadlineSeconds}).
     */
    public record Workers(String cpu, String memory, java.time.Duration deadline) {
        public static final Workers DEFAULT = new Workers("1", "1Gi", java.time.Duration.ofHours(6));

        public Workers {
            cpu = quantity("--worker-cpu", cpu == null ? DEFAULT.cpu : cpu);
            memory = quantity("--worker-memory", memory == null ? DEFAULT.memory : memory);
            deadline = deadline == null ? DEFAULT.deadline : deadline;
            if (deadline.isNegative() || deadline.isZero()) {
                throw FerryException.invalid("--run-deadline must be positive, not " + deadline, "e.g. --run-deadline 6h");
            }
        }

        private static String quantity(String option, String text) {
            try {
                io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(new io.fabric8.kubernetes.api.model.Quantity(text));
                if (!text.matches("[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?")) {
                    throw new IllegalArgumentException(text);
                }
                return text;
            } catch (RuntimeException e) {
                throw FerryException.invalid(option + " '" + text + "' is not a Kubernetes quantity",
                        "e.g. --worker-cpu 2 or 500m, --worker-memory 4Gi");
            }
        }
    }

    /** A release whose Jobs ask for the default resources ({@link Workers#DEFAULT}). */
    public ReleaseSpec(String namespace, String image, String storeUrl, String pvc, String pvcSize, String catalogSecret,
            List<AuthorizationRule> rules, String version) {
        this(namespace, image, storeUrl, pvc, pvcSize, catalogSecret, rules, version, Workers.DEFAULT);
    }

    public static final String DEFAULT_PVC = "ferry-data";
    public static final String DEFAULT_PVC_SIZE = "20Gi";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public ReleaseSpec {
        check("namespace", namespace);
        if (image == null || image.isBlank()) {
            throw FerryException.invalid("no server image", "pass --image REGISTRY/ferry:TAG (docs/kubernetes.md builds one)");
        }
        if (storeUrl != null && !storeUrl.startsWith("s3://")) {
            throw FerryException.invalid("--store " + storeUrl + " is not an S3 URL", "use s3://bucket/prefix, or --pvc NAME");
        }
        if (storeUrl != null && pvc != null) {
            throw FerryException.invalid("--store and --pvc name two places for the data", "pass one of them");
        }
        if (storeUrl != null && catalogSecret == null) {
            // FERRY_HOME is then a scratch volume: a SQLite catalog there would go with the pod
            throw FerryException.invalid("a release whose store is S3 needs a shared catalog",
                    "pass --catalog-secret NAME: a Secret whose key 'url' is a PostgreSQL JDBC URL");
        }
        if (pvc != null) {
            check("--pvc", pvc);
        }
        if (catalogSecret != null) {
            check("--catalog-secret", catalogSecret);
        }
        rules = rules == null || rules.isEmpty() ? List.of(new AuthorizationRule(namespace, Manifests.INGEST_ACCOUNT,
                List.of("*"))) : List.copyOf(rules);
        pvcSize = pvcSize == null ? DEFAULT_PVC_SIZE : pvcSize;
        workers = workers == null ? Workers.DEFAULT : workers;
    }

    /** Whether the install makes the PVC (none was named and the store is not S3). */
    boolean makesPvc() {
        return storeUrl == null && pvc == null;
    }

    String pvcName() {
        return pvc != null ? pvc : DEFAULT_PVC;
    }

    private static void check(String what, String name) {
        if (name == null || !DNS_LABEL.matcher(name).matches()) {
            throw FerryException.invalid("invalid " + what + " '" + name + "'",
                    "use a Kubernetes name: lower-case letters, digits and '-', at most 63");
        }
    }
}
