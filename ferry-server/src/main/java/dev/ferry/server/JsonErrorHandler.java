package dev.ferry.server;

import dev.ferry.core.error.ErrorCode;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty answers itself, before any route runs (an ambiguous URI such as an encoded '/',
 * a header too large, a malformed request line), in the API's one error shape instead of Jetty's HTML
 * page, so that every client can read every error the same way.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
            Callback callback) {
        response.getHeaders().put(JSON);
        if (status >= 500 && endedEarly(cause)) {
            // the connection ended under the request (the server stopping, the client gone): not a fault of the
            // request nor of the server's state — a client that reconnects tries again (503, UNREACHABLE)
            response.setStatus(503);
            response.write(true, ByteBuffer.wrap(Responses.errorBody(ErrorCode.UNREACHABLE,
                    "the connection ended before the request was answered (the server may be stopping)",
                    "try again: a restarted server answers it")), callback);
            return;
        }
        response.write(true, ByteBuffer.wrap(body(status, message)), callback);
    }

    private static boolean endedEarly(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.io.EofException || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return ByteBuffer.wrap(body(status, reason));
    }

    static byte[] body(int status, String reason) {
        ErrorCode code = switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 404, 405 -> ErrorCode.NOT_FOUND;
            default -> status < 500 ? ErrorCode.INVALID_ARGUMENT : ErrorCode.INTERNAL;
        };
        String message = "the server refused the request before reading it: "
                + (reason == null || reason.isBlank() ? "HTTP " + status : reason);
        String hint = status < 500
                ? "encode only what a path segment may hold (no '/', '\\', NUL or '..' in names) and see docs/http-api.yaml"
                : "see the server log";
        return Responses.errorBody(code, message, hint);
    }
}
