package dev.ferry.client;

import com.fasterxml.jackson.databind.JavaType;
import dev.ferry.core.api.Wire;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Json;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The one HTTP stack of the client: requests to a server's {@code /api/v1} over
 * {@link HttpURLConnection}, with the bearer token, whole answers or streamed ones, and the server's
 * JSON errors turned back into the {@link FerryException}s it raised. {@code HttpURLConnection} starts
 * in a fraction of the JDK HttpClient's time (no selector thread, no executor: a warm CLI call is
 * mostly start-up), writes fixed-length bodies to the socket in large writes, and reuses kept-alive
 * connections by itself.
 */
final class HttpTransport {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final String base;
    private final String token;

    HttpTransport(String serverUrl, String token) {
        this.base = (serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl) + "/api/v1";
        this.token = token;
    }

    /** The API's base URL, for messages. */
    String base() {
        return base;
    }

    /** A whole response: its status and body. */
    record Reply(int status, byte[] body) {}

    /** One request with a JSON body (or none) whose JSON answer is read as {@code type} (null: ignored). */
    <T> T call(String method, String path, Object body, JavaType type) {
        return read(send(method, path, body), type);
    }

    Reply send(String method, String path, Object body) {
        byte[] json = body == null ? null : Json.write(body).getBytes(StandardCharsets.UTF_8);
        return send(method, path, "application/json", json, json == null ? 0 : json.length);
    }

    /** One request with a whole body of {@code length} bytes and a whole answer. */
    Reply send(String method, String path, String contentType, byte[] body, int length) {
        HttpURLConnection c = open(method, path, contentType, body, length);
        try (InputStream in = c.getInputStream()) {
            return new Reply(c.getResponseCode(), in.readAllBytes());
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /**
     * One request whose answer is read as it arrives (event streams, rows, file lists, blob frames).
     * Closing the stream ends the exchange, also before the answer's end.
     */
    InputStream stream(String method, String path, Object body, String... headers) {
        byte[] json = body == null ? null : Json.write(body).getBytes(StandardCharsets.UTF_8);
        HttpURLConnection c = open(method, path, "application/json", json, json == null ? 0 : json.length, headers);
        try {
            return new FilterInputStream(c.getInputStream()) {
                private boolean ended;

                @Override
                public int read() throws IOException {
                    int b = super.read();
                    ended |= b < 0;
                    return b;
                }

                @Override
                public int read(byte[] into, int off, int len) throws IOException {
                    int n = super.read(into, off, len);
                    ended |= n < 0;
                    return n;
                }

                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        if (!ended) {
                            c.disconnect(); // not read to its end: the connection cannot be reused
                        }
                    }
                }
            };
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** Sends the request and checks its status: an error answer becomes the server's FerryException. */
    private HttpURLConnection open(String method, String path, String contentType, byte[] body, int length,
            String... headers) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
            c.setRequestMethod(method);
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            if (token != null) {
                c.setRequestProperty("Authorization", "Bearer " + token);
            }
            for (int i = 0; i + 1 < headers.length; i += 2) {
                c.setRequestProperty(headers[i], headers[i + 1]);
            }
            if (body != null) {
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(length);
                c.setRequestProperty("Content-Type", contentType);
                try (var out = c.getOutputStream()) {
                    out.write(body, 0, length);
                }
            }
            int status = c.getResponseCode();
            if (status >= 300) {
                byte[] answer;
                try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                    answer = in == null ? new byte[0] : in.readAllBytes();
                }
                throw error(status, answer);
            }
            return c;
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    static <T> T read(Reply reply, JavaType type) {
        if (type == null || reply.body().length == 0) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(reply.body(), type);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "the server sent a response this client cannot read: "
                    + e.getMessage(), "check that the CLI and the server have the same version ('ferry version')", e);
        }
    }

    FerryException unreachable(IOException e) {
        String why = e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
        return new FerryException(ErrorCode.UNREACHABLE, "cannot reach the Ferry server at " + base + ": " + why,
                "check that it runs ('ferry server status') and FERRY_SERVER, if set", e);
    }

    private static FerryException error(int status, byte[] body) {
        try {
            Wire.ErrorBody parsed = Json.MAPPER.readValue(body, Wire.ErrorBody.class);
            if (parsed != null && parsed.error() != null && parsed.error().code() != null) {
                ErrorCode code;
                try {
                    code = ErrorCode.valueOf(parsed.error().code());
                } catch (IllegalArgumentException e) {
                    code = ErrorCode.REJECTED;
                }
                return new FerryException(code, parsed.error().message(), parsed.error().hint());
            }
        } catch (IOException notJson) {
            // fall through: not one of our error bodies (a proxy, another program on the port)
        }
        ErrorCode code = status == 401 || status == 403 ? ErrorCode.UNAUTHORIZED
                : status == 404 ? ErrorCode.NOT_FOUND : ErrorCode.REJECTED;
        return new FerryException(code, "the server answered HTTP " + status + ": "
                + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip(),
                "check that FERRY_SERVER points at a Ferry server");
    }

    static JavaType type(Class<?> cls) {
        return Json.MAPPER.getTypeFactory().constructType(cls);
    }

    static JavaType list(Class<?> element) {
        return Json.MAPPER.getTypeFactory().constructCollectionType(List.class, element);
    }

    /** A path segment, percent-encoded. */
    static String seg(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query value, encoded. */
    static String query(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
