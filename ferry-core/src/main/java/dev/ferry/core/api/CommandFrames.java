package dev.ferry.core.api;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The protocol of the local server's command port ({@link dev.ferry.core.home.FerryHome#commandEndpoint}),
 * over which a thin client hands a whole CLI invocation to the server (docs/architecture.md).
 *
 * <p>The request: the magic line, the token, then the {@link Wire.Command} as big-endian ints and
 * length-prefixed UTF-8 strings (build, cwd, interactive, columns, args, env). The response: frames, each a channel
 * byte, a big-endian int length and that many bytes. First, at once, either an empty "accepted" frame
 * or a refusal (the client then runs the command itself); after an acceptance, stdout and stderr bytes
 * in the order the command wrote them, the note a client prints if its user interrupts it (empty:
 * none), and last the exit code (a 4-byte int). A client waits a bounded time for the first frame
 * only: whatever answers its port without one is not a working Ferry server, while a command may
 * rightly run a long time without a word.
 */
public final class CommandFrames {
    public static final String CONTENT_TYPE = "application/vnd.ferry.cli-frames";
    public static final byte STDOUT = 1;
    public static final byte STDERR = 2;
    public static final byte ON_INTERRUPT = 3;
    public static final byte EXIT = 4;
    public static final byte REFUSED = 5;
    public static final byte ACCEPTED = 6;
    static final byte[] MAGIC = "FERRY-CLI-1\n".getBytes(StandardCharsets.UTF_8);
    /** Bounds that keep a garbage request from allocating much: a command line is far smaller. */
    static final int MAX_STRING = 1 << 20;
    static final int MAX_ITEMS = 100_000;
    /** Larger frames are split: a reader never needs more than this in memory. */
    static final int MAX_FRAME = 1 << 20;

    private CommandFrames() {}

    /**
     * The server's side. Writes come from the command's threads (output, progress bars) and are
     * flushed at once, so the client shows them as they happen. When the client has gone (a write
     * fails), {@code whenGone} runs once — the server interrupts the command — and every later write
     * fails fast.
     */
    public static final class Writer {
        private final OutputStream out;
        private final Runnable whenGone;
        private boolean gone;

        public Writer(OutputStream out, Runnable whenGone) {
            this.out = out;
            this.whenGone = whenGone;
        }

        public synchronized void write(byte channel, byte[] bytes, int off, int len) throws IOException {
            if (gone) {
                throw new IOException("the client went away");
            }
            try {
                do {
                    int n = Math.min(len, MAX_FRAME);
                    out.write(channel);
                    out.write(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
                    out.write(bytes, off, n);
                    off += n;
                    len -= n;
                } while (len > 0);
                out.flush();
            } catch (IOException e) {
                gone = true;
                whenGone.run();
                throw e;
            }
        }

        /** A stream whose writes become frames of {@code channel}. */
        public OutputStream stream(byte channel) {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    Writer.this.write(channel, new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (len > 0) {
                        Writer.this.write(channel, b, off, len);
                    }
                }
            };
        }

        /** What the client should say if its user interrupts it from now on; null or empty: nothing. */
        public void onInterrupt(String note) {
            byte[] bytes = note == null ? new byte[0] : note.getBytes(StandardCharsets.UTF_8);
            try {
                write(ON_INTERRUPT, bytes, 0, bytes.length);
            } catch (IOException gone) {
                // the client has gone: there is nobody to interrupt
            }
        }

        /** Says the server runs this command (first, before any output). */
        public void accept() throws IOException {
            write(ACCEPTED, new byte[0], 0, 0);
        }

        /** Says the server will not run this command (before any output): the client runs it itself. */
        public void refuse(String why) throws IOException {
            byte[] bytes = why.getBytes(StandardCharsets.UTF_8);
            write(REFUSED, bytes, 0, bytes.length);
        }

        public void exit(int code) throws IOException {
            write(EXIT, new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code}, 0, 4);
        }
    }

    /** Writes a request (the client's side). */
    public static void writeRequest(java.io.DataOutputStream out, String token, Wire.Command c) throws IOException {
        out.write(MAGIC);
        writeString(out, token);
        writeString(out, c.build());
        writeString(out, c.cwd());
        out.writeBoolean(c.interactive());
        out.writeInt(c.columns());
        out.writeInt(c.args().size());
        for (String arg : c.args()) {
            writeString(out, arg);
        }
        out.writeInt(c.env().size());
        for (java.util.Map.Entry<String, String> e : c.env().entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
        out.flush();
    }

    /**
     * Reads a request (the server's side), after checking its token in constant time.
     *
     * @throws IOException if it is not one (wrong magic or token, out-of-bounds sizes, cut short)
     */
    public static Wire.Command readRequest(DataInputStream in, byte[] token) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a ferry command request");
        }
        if (!java.security.MessageDigest.isEqual(readString(in).getBytes(StandardCharsets.UTF_8), token)) {
            throw new IOException("the token is not this server's");
        }
        String build = readString(in);
        String cwd = readString(in);
        boolean interactive = in.readBoolean();
        int columns = in.readInt();
        int argc = count(in.readInt());
        java.util.List<String> args = new java.util.ArrayList<>(argc);
        for (int i = 0; i < argc; i++) {
            args.add(readString(in));
        }
        int envc = count(in.readInt());
        java.util.Map<String, String> env = new java.util.HashMap<>();
        for (int i = 0; i < envc; i++) {
            env.put(readString(in), readString(in));
        }
        return new Wire.Command(args, cwd, env, interactive, columns, build);
    }

    private static void writeString(java.io.DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > MAX_STRING) {
            throw new IOException("malformed command request: a string of " + len + " bytes");
        }
        byte[] bytes = new byte[len];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int count(int n) throws IOException {
        if (n < 0 || n > MAX_ITEMS) {
            throw new IOException("malformed command request: " + n + " items");
        }
        return n;
    }

    /** The server would not run the command; says why. */
    public static final class Refused extends IOException {
        public Refused(String why) {
            super(why);
        }
    }

    /** Where the frames of a command's answer go; a channel a reader does not override is dropped. */
    public interface Reader {
        default void stdout(byte[] bytes, int len) throws IOException {}

        default void stderr(byte[] bytes, int len) throws IOException {}

        default void onInterrupt(String note) {}

        /** The server took the command: from now on it may run as long as it needs. */
        default void accepted() throws IOException {}
    }

    /**
     * Copies frames to {@code reader} until the exit frame; returns the exit code.
     *
     * @throws Refused if the server will not run the command (then nothing else was sent)
     * @throws EOFException if the stream ends before the exit frame (the server went away)
     * @throws IOException if a frame is malformed or cannot be read
     */
    public static int read(InputStream in, Reader reader) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] buffer = new byte[8192];
        while (true) {
            int channel = data.read();
            if (channel < 0) {
                throw new EOFException("the command's output ended before its exit code");
            }
            int len = data.readInt();
            if (len < 0 || len > MAX_FRAME) {
                throw new IOException("malformed command output: a frame of " + len + " bytes");
            }
            if (buffer.length < len) {
                buffer = new byte[len];
            }
            data.readFully(buffer, 0, len);
            switch (channel) {
                case STDOUT -> reader.stdout(buffer, len);
                case STDERR -> reader.stderr(buffer, len);
                case ON_INTERRUPT -> reader.onInterrupt(new String(buffer, 0, len, StandardCharsets.UTF_8));
                case EXIT -> {
                    if (len != 4) {
                        throw new IOException("malformed command output: an exit frame of " + len + " bytes");
                    }
                    return ((buffer[0] & 0xff) << 24) | ((buffer[1] & 0xff) << 16) | ((buffer[2] & 0xff) << 8) | (buffer[3] & 0xff);
                }
                case REFUSED -> throw new Refused(new String(buffer, 0, len, StandardCharsets.UTF_8));
                case ACCEPTED -> reader.accepted();
                default -> throw new IOException("malformed command output: unknown channel " + channel);
            }
        }
    }
}
