package dev.ferry.core.api;

import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.Ingestion;
import java.time.Duration;

/** The version a push produced or found, its rows table, and the summary (the result of a push run). */
public record PushResult(String table, String category, String intent, Bundle bundle, boolean newVersion,
        Ingestion ingestion, IngestSummary summary, UploadResult upload, Duration elapsed) {}
