package dev.ferry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.core.api.Wire;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Json;
import io.javalin.http.Context;
import java.io.IOException;

/** JSON in and out, and the one way every error leaves the server. */
final class Responses {
    private Responses() {}

    static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + body.getClass().getSimpleName(), e);
        }
    }

    static void json(Context ctx, Object body) {
        json(ctx, 200, body);
    }

    static void error(Context ctx, ErrorCode code, String message, String hint) {
        ctx.status(code.httpStatus()).contentType("application/json").result(errorBody(code, message, hint));
    }

    /** The one JSON shape of every error the server sends. */
    static byte[] errorBody(ErrorCode code, String message, String hint) {
        try {
            return Json.MAPPER.writeValueAsBytes(new Wire.ErrorBody(new Wire.Error(code.name(), message, hint,
                    code.exitCode())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render an error body", e);
        }
    }

    static void error(Context ctx, FerryException e) {
        error(ctx, e.code(), e.getMessage(), e.hint());
    }

    /** The request body as {@code type}; a malformed body is INVALID_ARGUMENT (400) naming what is wrong. */
    static <T> T body(Context ctx, Class<T> type) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw FerryException.invalid("the request needs a JSON body", "send a " + type.getSimpleName() + " object");
        }
        try {
            T value = Json.MAPPER.readValue(bytes, type);
            if (value == null) {
                throw FerryException.invalid("the request body is null", "send a " + type.getSimpleName() + " object");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw FerryException.invalid("malformed JSON body: " + e.getOriginalMessage().lines().findFirst().orElse(""),
                    "send a " + type.getSimpleName() + " object (docs/http-api.yaml)");
        } catch (IOException e) {
            throw FerryException.invalid("unreadable request body: " + e.getMessage(), null);
        }
    }

    static long longParam(Context ctx, String name, long fallback) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw FerryException.invalid("query parameter " + name + " must be a whole number, not '" + text + "'", null);
        }
    }
}
