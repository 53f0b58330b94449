package dev.ferry.client;

import dev.ferry.core.model.Json;
import dev.ferry.core.run.EventSink;
import dev.ferry.core.run.LoggedEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads a server-sent event stream of run events (only what our server sends: id, event, data lines). */
final class EventStreamReader {
    enum End { RUN_ENDED, SINK_STOPPED, DROPPED }

    record Outcome(End end, long lastSeq) {}

    private EventStreamReader() {}

    static Outcome read(InputStream body, EventSink sink) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        StringBuilder data = new StringBuilder();
        String type = null;
        long last = -1;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (Thread.currentThread().isInterrupted()) {
                // a socket read does not wake up for an interrupt; the server's keep-alive lines do
                throw new java.io.InterruptedIOException("interrupted while watching a run");
            }
            if (line.startsWith("event:")) {
                type = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
            } else if (line.isEmpty() && "end".equals(type)) {
                return new Outcome(End.RUN_ENDED, last);
            } else if (line.isEmpty() && !data.isEmpty()) {
                type = null;
                LoggedEvent event = Json.MAPPER.readValue(data.toString(), LoggedEvent.class);
                data.setLength(0);
                last = event.seq();
                if (!sink.accept(event)) {
                    return new Outcome(End.SINK_STOPPED, last);
                }
                if (event.event().movesTo() != null && event.event().movesTo().terminal()) {
                    return new Outcome(End.RUN_ENDED, last);
                }
            }
        }
        return new Outcome(End.DROPPED, last);
    }
}
