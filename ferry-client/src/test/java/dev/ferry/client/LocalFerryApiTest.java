package dev.ferry.client;

import dev.ferry.core.api.FerryApi;
import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.home.FerryHome;
import java.nio.file.Path;

/** The contract, in-process. */
class LocalFerryApiTest extends FerryApiContract {
    @Override
    protected FerryApi open(Path home) {
        return LocalFerry.open(new FerryHome(home));
    }
}
