package dev.ferry.core.pack;

import java.time.Instant;

/** A committed pack as its store sees it. */
public record PackInfo(String id, long size, Instant modified) {}
