package dev.ferry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.core.api.Wire;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Json;
import io.javalin.http.Context;
import java.io.IOException;

/** JSON in and out, and the one way every error leaves the server. */
public final class Responses {
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

    /** Requests name this attribute: the most bytes their route reads from a body. */
    private static final String BODY_LIMIT = "ferry.bodyLimit";
    /** A JSON body: the largest a Ferry client sends is a batch of 2,048 digests (~150 KB). */
    static final long JSON_BODY_LIMIT = 1L << 20;
    /**
     * Requests are strict: a field the body type does not have is an error, not silently ignored (a
     * typo such as {"dryrun": true} must not run a real gc).
     */
    private static final com.fasterxml.jackson.databind.ObjectMapper STRICT = Json.MAPPER.copy()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Refuses a body over {@code limit} from its declared length, before a byte of it is read, and
     * remembers the limit for a body without one (chunked), which {@link #body} stops reading at.
     */
    static void limitBody(Context ctx, long limit) {
        ctx.attribute(BODY_LIMIT, limit);
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(ctx, limit);
        }
    }

    private static FerryException tooLarge(Context ctx, long limit) {
        return new FerryException(ErrorCode.TOO_LARGE, ctx.method() + " " + ctx.path() + " takes a body of at most "
                + (limit >= 1 << 20 ? (limit >> 20) + " MiB" : (limit >> 10) + " KiB"),
                "send a smaller request (docs/http-api.yaml has each route's limit)");
    }

    /** The request body as {@code type}; a malformed body is INVALID_ARGUMENT (400) naming what is wrong. */
    static <T> T body(Context ctx, Class<T> type) {
        Long limit = ctx.attribute(BODY_LIMIT);
        long max = limit == null ? JSON_BODY_LIMIT : limit;
        byte[] bytes;
        try {
            bytes = ctx.req().getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        } catch (IOException e) {
            throw FerryException.invalid("unreadable request body: " + e.getMessage(), null);
        }
        if (bytes.length > max) {
            throw tooLarge(ctx, max);
        }
        if (bytes.length == 0) {
            throw FerryException.invalid("the request needs a JSON body", "send the JSON object docs/http-api.yaml describes");
        }
        try {
            T value = STRICT.readValue(bytes, type);
            if (value == null) {
                throw FerryException.invalid("the request body is null", "send the JSON object docs/http-api.yaml describes");
            }
            return value;
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw FerryException.invalid("unknown field '" + e.getPropertyName() + "' in the request body",
                    "the fields it takes: " + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList());
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            String field = fieldPath(e);
            throw FerryException.invalid(field.isEmpty() ? "the request body is not the JSON object this route takes"
                    : "field '" + field + "' of the request body has the wrong type or is missing",
                    "see docs/http-api.yaml");
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            var at = e.getLocation();
            throw FerryException.invalid("malformed JSON body" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()), "send well-formed JSON");
        } catch (JsonProcessingException e) {
            throw FerryException.invalid("the request body cannot be read as this route's JSON object"
                    + (fieldPath(e).isEmpty() ? "" : " (at '" + fieldPath(e) + "')"), "see docs/http-api.yaml");
        } catch (IOException e) {
            throw FerryException.invalid("unreadable request body: " + e.getMessage(), null);
        }
    }

    /** Where in the body a mapping error is, as "a.b[2]": field names only, never Java types. */
    private static String fieldPath(JsonProcessingException e) {
        if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m)) {
            return "";
        }
        StringBuilder path = new StringBuilder();
        for (var ref : m.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** A whole-number query parameter within [{@code min}, {@code max}]; 400 naming it otherwise. */
    public static long longParam(Context ctx, String name, long fallback, long min, long max) {
        long value = longParam(ctx, name, fallback);
        if (value < min || value > max) {
            throw FerryException.invalid("query parameter " + name + " must be between " + min + " and " + max
                    + ", not " + value, null);
        }
        return value;
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
