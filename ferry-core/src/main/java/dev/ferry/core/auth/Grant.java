package dev.ferry.core.auth;

import java.util.regex.Pattern;

/**
 * What a request may do: everything (the server's own token), what a named token allows, or what the
 * authorization rules give a workload the cluster vouched for.
 */
public sealed interface Grant {
    Grant ADMIN = new Admin();

    /** Whether it may read ({@code write} false) or change ({@code write} true) this table. */
    boolean allows(String table, boolean write);

    /** Whether it may change anything at all (store blobs, submit runs). */
    boolean mayWrite();

    /** Whether it may manage the server (tokens, gc, fsck, shutdown). */
    default boolean admin() {
        return false;
    }

    /** Who it is, for messages. */
    String who();

    record Admin() implements Grant {
        @Override
        public boolean allows(String table, boolean write) {
            return true;
        }

        @Override
        public boolean mayWrite() {
            return true;
        }

        @Override
        public boolean admin() {
            return true;
        }

        @Override
        public String who() {
            return "the server's admin token";
        }
    }

    /**
     * A workload the cluster vouched for (a Kubernetes ServiceAccount whose token TokenReview
     * accepted): the tables its authorization rules name ({@code *} and {@code ?} as in a shell).
     */
    record Workload(String identity, java.util.List<String> tables) implements Grant {
        public Workload {
            tables = java.util.List.copyOf(tables);
        }

        @Override
        public boolean allows(String table, boolean write) {
            return tables.stream().anyMatch(t -> Scoped.glob(t).matcher(table).matches());
        }

        @Override
        public boolean mayWrite() {
            return true;
        }

        @Override
        public String who() {
            return identity + " (tables " + String.join(", ", tables) + ")";
        }
    }

    /** A named token: its tables ({@code *} and {@code ?} as in a shell; null for all) and whether read-only. */
    record Scoped(String name, String tables, boolean readOnly) implements Grant {
        @Override
        public boolean allows(String table, boolean write) {
            return (!write || !readOnly) && (tables == null || glob(tables).matcher(table).matches());
        }

        @Override
        public boolean mayWrite() {
            return !readOnly;
        }

        @Override
        public String who() {
            return "token '" + name + "'" + (tables == null ? "" : " (tables " + tables + ")") + (readOnly ? " (read-only)" : "");
        }

        static Pattern glob(String glob) {
            StringBuilder regex = new StringBuilder();
            for (char c : glob.toCharArray()) {
                switch (c) {
                    case '*' -> regex.append(".*");
                    case '?' -> regex.append('.');
                    default -> regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(regex.toString());
        }
    }
}
