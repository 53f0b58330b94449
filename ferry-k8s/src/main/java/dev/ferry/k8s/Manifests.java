package dev.ferry.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifests of a Ferry release, built with fabric8's model (never as text): what
 * {@code ferry cluster install} applies and {@code --dry-run -o yaml} prints. Every object carries
 * {@link #MANAGED_BY} so that discovery and uninstall find exactly them.
 */
public final class Manifests {
    public static final String NAME_LABEL = "app.kubernetes.io/name";
    public static final String MANAGED_LABEL = "app.kubernetes.io/managed-by";
    public static final String VERSION_LABEL = "app.kubernetes.io/version";
    public static final String COMPONENT_LABEL = "app.kubernetes.io/component";
    /** The labels every object of a release carries. */
    public static final Map<String, String> MANAGED_BY = orderedLabels();

    public static final String SERVER = "ferry-server";
    public static final String SERVER_ACCOUNT = "ferry-server";
    public static final String INGEST_ACCOUNT = "ferry-ingest";
    public static final String CLIENT_ROLE = "ferry-client";
    public static final String AUTHZ_CONFIG_MAP = "ferry-authz";
    public static final String AUTHZ_KEY = "rules.yaml";
    /** The Secret whose key {@code token} is the server's admin token (made by the install, never printed). */
    public static final String ADMIN_SECRET = "ferry-admin";
    /** An optional Secret of AWS_* variables for an S3 store (credentials, endpoint, region). */
    public static final String S3_SECRET = "ferry-s3";
    public static final int PORT = 7433;
    public static final String HOME = "/var/lib/ferry";
    static final String ADMIN_MOUNT = "/var/run/ferry/admin";
    static final String AUTHZ_MOUNT = "/etc/ferry/authz";

    private Manifests() {}

    /** In a fixed order: label selectors made from it are the same text every time. */
    private static Map<String, String> orderedLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME_LABEL, "ferry");
        labels.put(MANAGED_LABEL, "ferry");
        return java.util.Collections.unmodifiableMap(labels);
    }

    /** Every object of the release, in the order they are applied (accounts and rules before the server). */
    public static List<HasMetadata> render(ReleaseSpec spec) {
        List<HasMetadata> out = new ArrayList<>();
        out.add(new ServiceAccountBuilder().withMetadata(meta(spec, SERVER_ACCOUNT, "server")).build());
        out.add(new ServiceAccountBuilder().withMetadata(meta(spec, INGEST_ACCOUNT, "ingest")).build());
        out.add(new RoleBuilder().withMetadata(meta(spec, SERVER, "server"))
                .withRules(rule("batch", "jobs", "create", "get", "list", "watch", "delete"),
                        rule("", "pods", "get", "list", "watch"), rule("", "pods/log", "get"))
                .build());
        out.add(new RoleBindingBuilder().withMetadata(meta(spec, SERVER, "server"))
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", SERVER)
                .addNewSubject().withKind("ServiceAccount").withName(SERVER_ACCOUNT).withNamespace(spec.namespace()).endSubject()
                .build());
        // TokenReview is cluster-scoped: the server checks the ingest ServiceAccount's tokens with it
        String reviewer = "ferry-token-review-" + spec.namespace();
        out.add(new ClusterRoleBuilder().withMetadata(clusterMeta(spec, reviewer))
                .withRules(rule("authentication.k8s.io", "tokenreviews", "create")).build());
        out.add(new ClusterRoleBindingBuilder().withMetadata(clusterMeta(spec, reviewer))
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", reviewer)
                .addNewSubject().withKind("ServiceAccount").withName(SERVER_ACCOUNT).withNamespace(spec.namespace()).endSubject()
                .build());
        // what a user of the CLI needs in this namespace; bind it to your users or groups
        out.add(new RoleBuilder().withMetadata(meta(spec, CLIENT_ROLE, "client"))
                .withRules(rule("apps", "deployments", "get", "list"), rule("", "services", "get", "list"),
                        rule("", "pods", "get", "list"), rule("", "pods/portforward", "create", "get"),
                        new PolicyRuleBuilder().withApiGroups("").withResources("serviceaccounts/token")
                                .withResourceNames(INGEST_ACCOUNT).withVerbs("create").build())
                .build());
        out.add(authorization(spec));
        if (spec.makesPvc()) {
            out.add(new PersistentVolumeClaimBuilder().withMetadata(meta(spec, spec.pvcName(), "server"))
                    .withNewSpec().withAccessModes("ReadWriteOnce")
                    .withNewResources().addToRequests("storage", new Quantity(spec.pvcSize())).endResources()
                    .endSpec().build());
        }
        out.add(deployment(spec));
        out.add(new ServiceBuilder().withMetadata(meta(spec, SERVER, "server"))
                .withNewSpec().withSelector(selector()).addNewPort().withName("http").withPort(PORT)
                .withTargetPort(new IntOrString(PORT)).endPort().endSpec().build());
        return out;
    }

    /** The release as YAML documents, for GitOps (kubectl apply -f, or a commit). */
    public static String yaml(List<HasMetadata> objects) {
        StringBuilder out = new StringBuilder();
        for (HasMetadata o : objects) {
            String doc = Serialization.asYaml(o);
            out.append(doc.startsWith("---") ? doc : "---\n" + doc);
            if (!doc.endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** The authorization rules, as the server reads them from {@link #AUTHZ_KEY}. */
    static ConfigMap authorization(ReleaseSpec spec) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (AuthorizationRule r : spec.rules()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("namespace", r.namespace());
            rule.put("serviceAccount", r.serviceAccount());
            rule.put("tables", r.tables());
            rules.add(rule);
        }
        return new ConfigMapBuilder().withMetadata(meta(spec, AUTHZ_CONFIG_MAP, "server"))
                .addToData(AUTHZ_KEY, Serialization.asYaml(Map.of("rules", rules)).replaceFirst("^---\n", "")).build();
    }

    private static HasMetadata deployment(ReleaseSpec spec) {
        List<EnvVar> env = new ArrayList<>(List.of(
                new EnvVar("FERRY_HOME", HOME, null),
                new EnvVar("FERRY_TOKEN_FILE", ADMIN_MOUNT + "/token", null),
                // clients' ServiceAccount tokens are checked with TokenReview against these rules
                new EnvVar(KubernetesAuthenticatorProvider.AUTHZ_FILE_ENV, AUTHZ_MOUNT + "/" + AUTHZ_KEY, null)));
        if (spec.storeUrl() != null) {
            env.add(new EnvVar("FERRY_STORE", spec.storeUrl(), null));
        }
        // runs as Jobs in this namespace, in this image, with these store settings
        env.add(new EnvVar(KubernetesExecutorProvider.EXECUTOR_ENV, "kubernetes", null));
        env.add(new EnvVarBuilder().withName(KubernetesExecutorProvider.NAMESPACE_ENV).withNewValueFrom()
                .withNewFieldRef("v1", "metadata.namespace").endValueFrom().build());
        env.add(new EnvVar(KubernetesExecutorProvider.IMAGE_ENV, spec.image(), null));
        env.add(new EnvVar(KubernetesExecutorProvider.WORKER_CPU_ENV, spec.workers().cpu(), null));
        env.add(new EnvVar(KubernetesExecutorProvider.WORKER_MEMORY_ENV, spec.workers().memory(), null));
        env.add(new EnvVar(KubernetesExecutorProvider.DEADLINE_ENV, Long.toString(spec.workers().deadline().toSeconds()), null));
        if (spec.storeUrl() == null) {
            env.add(new EnvVar(KubernetesExecutorProvider.PVC_ENV, spec.pvcName(), null));
        }
        if (spec.catalogSecret() != null) {
            env.add(new EnvVar(KubernetesExecutorProvider.CATALOG_SECRET_ENV, spec.catalogSecret(), null));
        }
        if (spec.catalogSecret() != null) {
            env.add(new EnvVarBuilder().withName("FERRY_CATALOG").withNewValueFrom().withNewSecretKeyRef("url",
                    spec.catalogSecret(), false).endValueFrom().build());
        }
        Volume data = spec.storeUrl() == null
                ? new VolumeBuilder().withName("data").withNewPersistentVolumeClaim(spec.pvcName(), false).build()
                : new VolumeBuilder().withName("data").withNewEmptyDir().endEmptyDir().build(); // spool and scratch only
        Volume admin = new VolumeBuilder().withName("admin").withNewSecret().withSecretName(ADMIN_SECRET)
                .withDefaultMode(0400).endSecret().build();
        Volume authz = new VolumeBuilder().withName("authz").withNewConfigMap().withName(AUTHZ_CONFIG_MAP).endConfigMap().build();
        Map<String, String> podLabels = new LinkedHashMap<>(selector());
        podLabels.put(MANAGED_LABEL, "ferry");
        return new DeploymentBuilder().withMetadata(meta(spec, SERVER, "server"))
                .withNewSpec().withReplicas(1)
                // a PVC mounted read-write once: the old pod goes before the new one starts
                .withNewStrategy().withType(spec.storeUrl() == null ? "Recreate" : "RollingUpdate").endStrategy()
                .withNewSelector().withMatchLabels(selector()).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(podLabels).endMetadata()
                .withNewSpec().withServiceAccountName(SERVER_ACCOUNT)
                .addNewContainer().withName("server").withImage(spec.image())
                .withArgs("serve", "--host", "0.0.0.0", "--port", Integer.toString(PORT))
                .addNewPort().withName("http").withContainerPort(PORT).endPort()
                .withEnv(env)
                .addNewEnvFrom().withNewSecretRef(S3_SECRET, true).endEnvFrom()
                .withNewReadinessProbe().withNewHttpGet().withPath("/api/v1/health").withPort(new IntOrString(PORT))
                .endHttpGet().endReadinessProbe()
                .addNewVolumeMount().withName("data").withMountPath(HOME).endVolumeMount()
                .addNewVolumeMount().withName("admin").withMountPath(ADMIN_MOUNT).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("authz").withMountPath(AUTHZ_MOUNT).withReadOnly(true).endVolumeMount()
                .endContainer()
                .withVolumes(data, admin, authz)
                .endSpec().endTemplate().endSpec().build();
    }

    /** What the Service and the Deployment select the server's pods by. */
    static Map<String, String> selector() {
        return Map.of(NAME_LABEL, "ferry", COMPONENT_LABEL, "server");
    }

    private static ObjectMeta meta(ReleaseSpec spec, String name, String component) {
        return new ObjectMetaBuilder().withName(name).withNamespace(spec.namespace()).withLabels(labels(spec, component))
                .build();
    }

    private static ObjectMeta clusterMeta(ReleaseSpec spec, String name) {
        Map<String, String> labels = labels(spec, "server");
        labels.put("ferry.dev/namespace", spec.namespace());
        return new ObjectMetaBuilder().withName(name).withLabels(labels).build();
    }

    private static Map<String, String> labels(ReleaseSpec spec, String component) {
        Map<String, String> labels = new LinkedHashMap<>(MANAGED_BY);
        labels.put(COMPONENT_LABEL, component);
        labels.put(VERSION_LABEL, spec.version().replaceAll("[^A-Za-z0-9._-]", "_"));
        return labels;
    }

    private static PolicyRule rule(String group, String resource, String... verbs) {
        return new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withVerbs(verbs).build();
    }
}
