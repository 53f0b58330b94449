package dev.ferry.k8s;

import dev.ferry.core.error.FerryException;
import java.util.Arrays;
import java.util.List;

/**
 * Who may ingest into which tables: the ServiceAccount {@code serviceAccount} of {@code namespace}
 * (whose token the server checks with TokenReview) may write the tables matching any of
 * {@code tables} (globs such as {@code team_a_*}).
 */
public record AuthorizationRule(String namespace, String serviceAccount, List<String> tables) {
    public AuthorizationRule {
        tables = List.copyOf(tables);
    }

    /** The rules of a release's ConfigMap ({@code rules.yaml}: {@code rules: [{namespace, serviceAccount, tables}]}). */
    public static List<AuthorizationRule> readAll(String yaml) {
        try {
            com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(yaml);
            java.util.List<AuthorizationRule> rules = new java.util.ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode r : root.path("rules")) {
                java.util.List<String> tables = new java.util.ArrayList<>();
                r.path("tables").forEach(t -> tables.add(t.asText()));
                rules.add(new AuthorizationRule(r.path("namespace").asText(), r.path("serviceAccount").asText(), tables));
            }
            return rules;
        } catch (java.io.IOException e) {
            throw FerryException.invalid("the authorization rules cannot be read: " + e.getMessage(),
                    "fix the ConfigMap ferry-authz, or install again with --allow");
        }
    }

    /** Parses {@code NAMESPACE/SERVICEACCOUNT=GLOB[,GLOB...]}, as {@code --allow} takes it. */
    public static AuthorizationRule parse(String text) {
        int slash = text.indexOf('/');
        int eq = text.indexOf('=');
        if (slash <= 0 || eq <= slash + 1 || eq == text.length() - 1) {
            throw FerryException.invalid("invalid --allow '" + text + "'",
                    "use NAMESPACE/SERVICEACCOUNT=TABLE_GLOB[,TABLE_GLOB...], e.g. ml/trainer=team_a_*");
        }
        List<String> tables = Arrays.stream(text.substring(eq + 1).split(",")).map(String::strip)
                .filter(t -> !t.isEmpty()).toList();
        for (String t : tables) {
            if (!t.matches("[A-Za-z0-9_*?]{1,63}")) {
                throw FerryException.invalid("invalid table glob '" + t + "' in --allow '" + text + "'",
                        "use table-name characters with * and ? as wildcards");
            }
        }
        return new AuthorizationRule(text.substring(0, slash), text.substring(slash + 1, eq), tables);
    }
}
