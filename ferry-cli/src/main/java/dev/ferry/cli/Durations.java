package dev.ferry.cli;

import dev.ferry.core.error.FerryException;
import java.time.Duration;
import picocli.CommandLine;

/** Duration options ({@code 90s}, {@code 15m}, ...), parsed as everywhere else by core's Durations. */
final class Durations implements CommandLine.ITypeConverter<Duration> {
    static Duration parse(String text) {
        return dev.ferry.core.model.Durations.parse(text);
    }

    @Override
    public Duration convert(String value) {
        try {
            return parse(value);
        } catch (FerryException e) {
            throw new CommandLine.TypeConversionException(e.getMessage() + " (" + e.hint() + ")");
        }
    }
}
