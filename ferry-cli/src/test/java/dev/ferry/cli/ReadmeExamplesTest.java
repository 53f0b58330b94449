package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's pushes of the bundled examples, exactly as it writes them (read from the README, run
 * from the repository's root): each ingests every record of its example, and the rows come back.
 */
class ReadmeExamplesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern PUSH = Pattern.compile("^\\./ferry (dataset push examples/\\S+ .*)$", Pattern.MULTILINE);
    /** The records each example holds. */
    private static final Map<String, Integer> RECORDS = Map.of("cats-dogs", 576, "reviews", 40, "houses", 200,
            "sensors", 240);

    @TempDir
    Path tmp;

    CliRun ferry;

    @AfterEach
    void stop() {
        if (ferry != null) ferry.stopServers();
    }

    @Test
    void everyExamplePushOfTheReadmeIngestsItsRecords() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher m = PUSH.matcher(readme);
        List<String> commands = new ArrayList<>();
        while (m.find()) {
            commands.add(m.group(1).replaceAll("\\s+#.*$", "").trim());
        }
        assertThat(commands).extracting(c -> c.split(" ")[2]).contains("examples/cats-dogs", "examples/reviews",
                "examples/houses", "examples/sensors");
        ferry = new CliRun(tmp.resolve("home"));
        assertThat(ferry.run("repo", "list").exit()).isZero(); // starts the home's server
        for (String command : commands) {
            String[] args = command.split(" +");
            String example = Path.of(args[2]).getFileName().toString();
            // handed to the server from the repository's root, as ./ferry does from a shell there
            CliRun.Result pushed = ferry.relay(ROOT, args).orElseThrow();
            assertThat(pushed.exit()).as(command + "\n" + pushed).isZero();
            int records = RECORDS.get(example);
            assertThat(pushed.out()).as(command).contains("records   " + records + " total · " + records + " inserted");
            String table = args[java.util.Arrays.asList(args).indexOf("--table") + 1];
            CliRun.Result rows = ferry.run("dataset", "export", table, "--format", "jsonl");
            assertThat(rows.outLines()).as(command).hasSize(records);
        }
    }
}
