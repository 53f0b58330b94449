/*
 * ferry-relay: hands one CLI invocation to the running local server over its command port and relays
 * what comes back — the client side of dev.ferry.core.api.CommandFrames, as dev.ferry.cli.ThinClient
 * does it, without starting a JVM (a JVM with its archive takes ~35 ms before it can connect; this
 * takes ~1 ms). The launcher compiles it once per build where a C compiler exists and runs it only
 * when the server's command port file exists; without it, the JVM relay does the same work.
 *
 *   ferry-relay BUILD N FALLBACK_1 .. FALLBACK_N ARGS...
 *
 * BUILD is the jar (or classes directory) whose build the server must run (dev.ferry.core.BuildId).
 * Whenever the server cannot take the command — no endpoint, nothing listening, a refusal (another
 * build, a command that runs in the CLI's own process) — nothing has been written yet, and this
 * process becomes FALLBACK_1 .. FALLBACK_N ARGS... (the JVM entry point, which sorts it out).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

extern char **environ;

enum { STDOUT_FRAME = 1, STDERR_FRAME = 2, ON_INTERRUPT_FRAME = 3, EXIT_FRAME = 4, REFUSED_FRAME = 5, ACCEPTED_FRAME = 6 };
/* how long to wait for the server to take or refuse the command, as ThinClient (FERRY_RELAY_TIMEOUT_MS for tests) */
#define ANSWER_TIMEOUT_MS 10000
static const char MAGIC[] = "FERRY-CLI-1\n";
#define MAX_FRAME (1 << 20)
/* ErrorCode.UNREACHABLE, LOCAL_ENVIRONMENT, OUTPUT_CLOSED */
#define EXIT_UNREACHABLE 4
#define EXIT_LOCAL 3
#define EXIT_OUTPUT_CLOSED 141

static char **fallback_argv;

/* Becomes the JVM entry point with the same arguments; returns only if that cannot start. */
static void fall_back(void) {
    signal(SIGPIPE, SIG_DFL);
    execv(fallback_argv[0], fallback_argv);
    fprintf(stderr, "error: cannot start %s: %s\n  hint: check the JDK the launcher found (JAVA_HOME)\n",
            fallback_argv[0], strerror(errno));
    exit(EXIT_LOCAL);
}

/* ---- what to say on Ctrl-C: the server's latest note, printed by the signal handler */

static char notes[2][4096];
static volatile sig_atomic_t note_len[2];
static volatile sig_atomic_t note_current;

static void set_note(const char *text, size_t len) {
    int next = 1 - note_current;
    if (len > sizeof notes[next] - 1) len = sizeof notes[next] - 1;
    memcpy(notes[next], text, len);
    notes[next][len] = '\n';
    note_len[next] = (sig_atomic_t) len;
    note_current = next; /* the handler reads whole notes only: it sees the old one or this one */
}

static void on_signal(int sig) {
    int i = note_current;
    if (note_len[i] > 0) {
        ssize_t ignored = write(STDERR_FILENO, notes[i], (size_t) note_len[i] + 1);
        (void) ignored;
    }
    /* as the JVM does: 128 + the signal; the closed socket tells the server to stop the command */
    _exit(128 + sig);
}

/* ---- the request */

struct buffer {
    char *data;
    size_t len, cap;
};

static void put(struct buffer *b, const void *bytes, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 8192;
        while (cap < b->len + n) cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown) {
            fprintf(stderr, "error: out of memory\n");
            exit(1);
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
}

static void put_int(struct buffer *b, uint32_t v) {
    unsigned char be[4] = {(unsigned char) (v >> 24), (unsigned char) (v >> 16), (unsigned char) (v >> 8),
                           (unsigned char) v};
    put(b, be, 4);
}

static void put_bytes(struct buffer *b, const char *s, size_t n) {
    put_int(b, (uint32_t) n);
    put(b, s, n);
}

static void put_string(struct buffer *b, const char *s) {
    put_bytes(b, s, strlen(s));
}

/* dev.ferry.core.BuildId: "jar.<size>.<mtime in ms>", or "classes" for a directory */
static void build_id(const char *path, char *out, size_t n) {
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(out, n, "unknown");
    } else if (S_ISDIR(st.st_mode)) {
        snprintf(out, n, "classes");
    } else {
        long long ms = (long long) st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
        snprintf(out, n, "jar.%lld.%lld", (long long) st.st_size, ms);
    }
}

/* Path.of(p).toAbsolutePath().normalize(): against the working directory, '.' and '..' resolved by name */
static char *absolute_normalized(const char *p, const char *cwd) {
    size_t cap = strlen(p) + strlen(cwd) + 3;
    char *joined = malloc(cap), *out = malloc(cap);
    if (!joined || !out) exit(1);
    snprintf(joined, cap, "%s/%s", p[0] == '/' ? "" : cwd, p);
    size_t len = 0;
    for (char *seg = strtok(joined, "/"); seg; seg = strtok(NULL, "/")) {
        if (strcmp(seg, ".") == 0) continue;
        if (strcmp(seg, "..") == 0) {
            while (len > 0 && out[len - 1] != '/') len--;
            if (len > 0) len--; /* the slash before it */
            continue;
        }
        out[len++] = '/';
        size_t n = strlen(seg);
        memcpy(out + len, seg, n);
        len += n;
    }
    if (len == 0) out[len++] = '/';
    out[len] = '\0';
    free(joined);
    return out;
}

static int blank(const char *s) {
    for (; *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') return 0;
    }
    return 1;
}

/* dev.ferry.core.home.FerryHome.resolve */
static char *ferry_home(const char *cwd) {
    const char *configured = getenv("FERRY_HOME");
    if (configured && !blank(configured)) return absolute_normalized(configured, cwd);
    struct passwd *pw = getpwuid(getuid());
    const char *user_home = pw && pw->pw_dir ? pw->pw_dir : "?";
    char *home = malloc(strlen(user_home) + 8);
    if (!home) exit(1);
    sprintf(home, "%s/.ferry", user_home);
    return home;
}

/* dev.ferry.cli.Terminal.interactive, with the launcher's FERRY_STDERR_TTY */
static int interactive(void) {
    const char *term = getenv("TERM");
    if (getenv("NO_COLOR") || (term && strcmp(term, "dumb") == 0)) return 0;
    const char *told = getenv("FERRY_STDERR_TTY");
    if (told) return strcmp(told, "1") == 0;
    return isatty(STDERR_FILENO);
}

/* ThinClient.columns: FERRY_COLUMNS, else COLUMNS, when a positive number; 0 otherwise */
static int columns(void) {
    const char *names[] = {"FERRY_COLUMNS", "COLUMNS"};
    for (int i = 0; i < 2; i++) {
        const char *v = getenv(names[i]);
        if (!v) continue;
        char *end;
        errno = 0;
        long n = strtol(v, &end, 10);
        while (*end == ' ' || *end == '\t') end++;
        if (errno == 0 && end != v && *end == '\0' && n > 0 && n <= 0x7fffffff) return (int) n;
    }
    return 0;
}

/* The endpoint file: the port on the first line, the token on the second. */
static int read_endpoint(const char *home, int *port, char *token, size_t token_size) {
    char path[4096];
    snprintf(path, sizeof path, "%s/run/cli", home);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char line[128];
    int ok = fgets(line, sizeof line, f) && sscanf(line, "%d", port) == 1 && *port > 0 && *port < 65536
             && fgets(token, (int) token_size, f);
    fclose(f);
    if (!ok) return -1;
    token[strcspn(token, "\r\n")] = '\0';
    return 0;
}

static int connect_loopback(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct timeval two_seconds = {2, 0}; /* bounds connect() as the JVM relay's timeout does */
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &two_seconds, sizeof two_seconds);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t) port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *) &addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    struct timeval none = {0, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &none, sizeof none);
    return fd;
}

static int send_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t) w;
    }
    return 0;
}

/* ---- the answer */

struct reader {
    int fd;
    char buf[65536];
    size_t pos, len;
};

/* Fills p with exactly n bytes; -1 when the stream ends or fails first. */
static int read_exactly(struct reader *r, void *p, size_t n) {
    char *out = p;
    while (n > 0) {
        if (r->pos == r->len) {
            ssize_t got = read(r->fd, r->buf, sizeof r->buf);
            if (got < 0 && errno == EINTR) continue;
            if (got == 0) errno = 0; /* the end, not a timeout */
            if (got <= 0) return -1;
            r->pos = 0;
            r->len = (size_t) got;
        }
        size_t take = r->len - r->pos < n ? r->len - r->pos : n;
        memcpy(out, r->buf + r->pos, take);
        r->pos += take;
        out += take;
        n -= take;
    }
    return 0;
}

static void write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno == EPIPE) {
            /* the reader of our output went away (`ferry ... | head`): stop, as a pipe's writer does */
            _exit(EXIT_OUTPUT_CLOSED);
        }
        if (w < 0) {
            /* e.g. a redirect to a full disk: not silent, or the output would look whole (same line as OutputTarget) */
            int err = errno;
            char link[64], target[4096];
            snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
            ssize_t len = readlink(link, target, sizeof target - 1);
            target[len > 0 ? len : 0] = '\0';
            fprintf(stderr, "error: cannot write the command's output%s%s: %s\n"
                            "  hint: check where the output goes (free space, permissions) and run the command again\n",
                    len > 0 ? " to " : "", target, strerror(err));
            _exit(EXIT_LOCAL);
        }
        p += w;
        n -= (size_t) w;
    }
}

static long answer_timeout_ms(void) {
    const char *told = getenv("FERRY_RELAY_TIMEOUT_MS");
    long ms = told && *told ? strtol(told, NULL, 10) : 0;
    return ms > 0 ? ms : ANSWER_TIMEOUT_MS;
}

static void set_read_timeout(int fd, long ms) {
    struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

static void server_gone(const char *home, const char *why) {
    fprintf(stderr, "error: the local Ferry server stopped answering in the middle of the command (%s)\n"
                    "  hint: see its log, %s/logs/server.log, and run the command again\n", why, home);
    exit(EXIT_UNREACHABLE);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: ferry-relay BUILD N FALLBACK_1..FALLBACK_N ARGS... (run by ./ferry)\n");
        return 2;
    }
    int n_fallback = atoi(argv[2]);
    if (n_fallback < 1 || n_fallback > argc - 3) {
        fprintf(stderr, "ferry-relay: bad fallback count '%s'\n", argv[2]);
        return 2;
    }
    char **args = argv + 3 + n_fallback;
    int n_args = argc - 3 - n_fallback;
    fallback_argv = calloc((size_t) (n_fallback + n_args + 1), sizeof(char *));
    if (!fallback_argv) return 1;
    memcpy(fallback_argv, argv + 3, (size_t) n_fallback * sizeof(char *));
    memcpy(fallback_argv + n_fallback, args, (size_t) n_args * sizeof(char *));
    signal(SIGPIPE, SIG_IGN);

    char cwd[8192];
    if (!getcwd(cwd, sizeof cwd)) fall_back();
    char *home = ferry_home(cwd);
    int port;
    char token[512];
    if (read_endpoint(home, &port, token, sizeof token) != 0) fall_back();
    int fd = connect_loopback(port);
    if (fd < 0) fall_back(); /* a dead server's port refuses at once */

    char build[128];
    build_id(argv[1], build, sizeof build);
    struct buffer req = {0};
    put(&req, MAGIC, sizeof MAGIC - 1);
    put_string(&req, token);
    put_string(&req, build);
    put_string(&req, cwd);
    unsigned char is_interactive = (unsigned char) interactive();
    put(&req, &is_interactive, 1);
    put_int(&req, (uint32_t) columns());
    put_int(&req, (uint32_t) n_args);
    for (int i = 0; i < n_args; i++) put_string(&req, args[i]);
    /* the environment, with FERRY_HOME said absolutely: a relative one meant this directory */
    uint32_t n_env = 1;
    for (char **e = environ; *e; e++) {
        if (strchr(*e, '=') && strncmp(*e, "FERRY_HOME=", 11) != 0) n_env++;
    }
    put_int(&req, n_env);
    for (char **e = environ; *e; e++) {
        char *eq = strchr(*e, '=');
        if (!eq || strncmp(*e, "FERRY_HOME=", 11) == 0) continue;
        put_bytes(&req, *e, (size_t) (eq - *e));
        put_string(&req, eq + 1);
    }
    put_string(&req, "FERRY_HOME");
    put_string(&req, home);
    if (send_all(fd, req.data, req.len) != 0) fall_back();
    free(req.data);

    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    static struct reader in;
    in.fd = fd;
    static char frame[MAX_FRAME];
    /* whatever answers the port without taking or refusing the command at once is not a working server */
    set_read_timeout(fd, answer_timeout_ms());
    int accepted = 0;
    for (;;) {
        unsigned char head[5];
        if (read_exactly(&in, head, 5) != 0) {
            if (!accepted && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                fprintf(stderr, "error: the local Ferry server's port (%d) did not take the command within %g s\n"
                                "  hint: 'ferry server status' clears what a dead server left behind; then run the command"
                                " again (if the server still runs, see its log, %s/logs/server.log)\n",
                        port, answer_timeout_ms() / 1000.0, home);
                exit(EXIT_UNREACHABLE);
            }
            server_gone(home, "the command's output ended before its exit code");
        }
        uint32_t len = (uint32_t) head[1] << 24 | (uint32_t) head[2] << 16 | (uint32_t) head[3] << 8 | head[4];
        if (len > MAX_FRAME) server_gone(home, "malformed command output: a frame too large");
        if (read_exactly(&in, frame, len) != 0) server_gone(home, "the command's output ended before its exit code");
        switch (head[0]) {
            case STDOUT_FRAME:
                write_all(STDOUT_FILENO, frame, len);
                break;
            case STDERR_FRAME:
                write_all(STDERR_FILENO, frame, len);
                break;
            case ON_INTERRUPT_FRAME:
                set_note(frame, len);
                break;
            case EXIT_FRAME:
                if (len != 4) server_gone(home, "malformed command output: a bad exit frame");
                return (int) ((uint32_t) (unsigned char) frame[0] << 24 | (uint32_t) (unsigned char) frame[1] << 16
                              | (uint32_t) (unsigned char) frame[2] << 8 | (unsigned char) frame[3]);
            case ACCEPTED_FRAME:
                /* the server runs it: from now on it may take as long as it needs */
                accepted = 1;
                set_read_timeout(fd, 0);
                break;
            case REFUSED_FRAME:
                /* before anything else: another build, or a command for the CLI's own process */
                close(fd);
                fall_back();
                break;
            default:
                server_gone(home, "malformed command output: an unknown channel");
        }
    }
}
