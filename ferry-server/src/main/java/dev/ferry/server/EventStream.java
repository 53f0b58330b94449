package dev.ferry.server;

import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Json;
import dev.ferry.core.run.LoggedEvent;
import dev.ferry.core.run.Orchestrator;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /runs/{id}/events/stream}: a run's events as server-sent events, each with its sequence
 * number as {@code id}, so that a client that lost the connection resumes with {@code Last-Event-ID}.
 * The stream ends after the run's last event with an {@code end} event; a comment line every few seconds of quiet finds clients
 * that went away.
 */
final class EventStream {
    private EventStream() {}

    static void serve(Context ctx, Orchestrator orchestrator, String runId) throws InterruptedException, IOException {
        long after = resumeFrom(ctx);
        orchestrator.get(runId); // 404 before the stream starts
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        OutputStream out = ctx.res().getOutputStream();
        out.write(": ferry run events\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        boolean ended = orchestrator.watch(runId, after, new dev.ferry.core.run.EventSink() {
            @Override
            public boolean accept(LoggedEvent e) {
                return write(out, "id: " + e.seq() + "\nevent: " + e.event().type() + "\ndata: " + Json.write(e) + "\n\n");
            }

            @Override
            public boolean idle() {
                return write(out, ": keep-alive\n\n");
            }
        });
        if (ended) {
            // says "nothing more will come" also to a client that resumed after the last event
            write(out, "event: end\ndata: {}\n\n");
        }
    }

    private static boolean write(OutputStream out, String frame) {
        try {
            out.write(frame.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException gone) {
            return false;
        }
    }

    private static long resumeFrom(Context ctx) {
        String lastEventId = ctx.header("Last-Event-ID");
        if (lastEventId != null && !lastEventId.isBlank()) {
            long seq;
            try {
                seq = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                seq = -1;
            }
            if (seq < 0) {
                throw FerryException.invalid("Last-Event-ID must be an event sequence number, not '" + lastEventId + "'",
                        null);
            }
            return seq;
        }
        return Responses.longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
    }
}
