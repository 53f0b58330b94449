package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where `ferry serve` takes its admin token in a container: the environment, or a mounted secret file. */
class ServeSettingsTest {
    @TempDir
    Path tmp;

    @Test
    void theAdminTokenIsFerryTokenElseTheFirstLineOfFerryTokenFileElseNone() throws Exception {
        Path secret = Files.writeString(tmp.resolve("token"), "fy_from_a_file\nignored\n");
        assertThat(ServerCommands.Serve.adminToken(Map.of("FERRY_TOKEN", "fy_env", "FERRY_TOKEN_FILE", secret.toString())))
                .isEqualTo("fy_env");
        assertThat(ServerCommands.Serve.adminToken(Map.of("FERRY_TOKEN_FILE", secret.toString()))).isEqualTo("fy_from_a_file");
        assertThat(ServerCommands.Serve.adminToken(Map.of())).isNull();
    }

    @Test
    void aMissingOrEmptyTokenFileIsAClearError() throws Exception {
        assertThatThrownBy(() -> ServerCommands.Serve.adminToken(Map.of("FERRY_TOKEN_FILE", tmp.resolve("nope").toString())))
                .isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.LOCAL_PATH))
                .hasMessageContaining("cannot read FERRY_TOKEN_FILE");
        Path empty = Files.writeString(tmp.resolve("empty"), "\n");
        assertThatThrownBy(() -> ServerCommands.Serve.adminToken(Map.of("FERRY_TOKEN_FILE", empty.toString())))
                .isInstanceOf(FerryException.class).hasMessageContaining("is empty");
    }

    @Test
    void aMissingTokenFileStopsServeWithExitThreeBeforeItListens() {
        CliRun ferry = new CliRun(tmp.resolve("home")).env("FERRY_TOKEN_FILE", tmp.resolve("nope").toString());
        CliRun.Result r = ferry.run("serve", "--port", "0");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).startsWith("error: cannot read FERRY_TOKEN_FILE");
    }
}
