package dev.ferry.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.api.LocalFerry;
import dev.ferry.core.api.PushRequest;
import dev.ferry.core.home.FerryHome;
import dev.ferry.core.ingest.ConfigFlags;
import dev.ferry.core.run.RunExecutor;
import dev.ferry.core.run.RunTask;
import dev.ferry.core.run.Submission;
import dev.ferry.core.run.ThreadPoolRunExecutor;
import dev.ferry.core.transfer.TransferListener;
import dev.ferry.server.FerryServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real browser: Debian's headless Chromium driven by its chromedriver (no browser is
 * downloaded; scripts/test installs the packages when they are missing). The bundled cats/dogs example is pushed
 * twice (10 labels changed the second time); the browser logs in with a one-time link, opens the table,
 * pages its 576 rows with thumbnails, filters by label, opens the diff, and watches a push's run page
 * reach 100 % live. Each page's screenshot goes to target/ui-screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final ConfigFlags CATS_DOGS = new ConfigFlags("cats_dogs_train", "image_classification", "train", "label", null,
            null, null, null, null, null, null, null, null);

    @TempDir
    static Path tmp;
    LocalFerry ferry;
    FerryServer server;
    String root;
    WebDriver browser;
    final Gate gate = new Gate();
    final Path screenshots = Path.of("target", "ui-screenshots");
    String firstVersion;

    /** Runs start on threads as usual, except while closed: then they wait (the test opens a run's page meanwhile). */
    static final class Gate implements RunExecutor {
        private final ThreadPoolRunExecutor threads = new ThreadPoolRunExecutor(2);
        volatile CountDownLatch open = new CountDownLatch(0);

        @Override
        public String name() {
            return "gated threads";
        }

        @Override
        public void start(RunTask task) {
            CountDownLatch wait = open;
            Thread.ofVirtual().start(() -> {
                try {
                    wait.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                threads.start(task);
            });
        }

        @Override
        public void close() {
            open.countDown();
            threads.close();
        }
    }

    @BeforeAll
    void startServerAndBrowser() throws Exception {
        assertThat(CHROMIUM).as("the browser tests drive Debian's Chromium: apt-get install -y chromium chromium-driver")
                .isExecutable();
        assertThat(CHROMEDRIVER).as("the browser tests drive Debian's Chromium: apt-get install -y chromium chromium-driver")
                .isExecutable();
        Files.createDirectories(screenshots);
        ferry = LocalFerry.open(new FerryHome(tmp.resolve("home")));
        ferry.runOn(gate);
        server = new FerryServer(ferry, FerryServer.newToken(), true);
        root = "http://127.0.0.1:" + server.start("127.0.0.1", 0);

        Path example = Path.of("..", "examples", "cats-dogs").toAbsolutePath().normalize();
        Path data = tmp.resolve("cats-dogs");
        copy(example, data);
        firstVersion = ferry.push(new PushRequest(data, null, CATS_DOGS, "the bundled example", null), TransferListener.NONE)
                .bundle().id();
        List<String> lines = new ArrayList<>(Files.readAllLines(data.resolve("labels.csv")));
        int changed = 0;
        for (int i = 1; i < lines.size() && changed < 10; i++) {
            if (lines.get(i).endsWith(",cat")) {
                lines.set(i, lines.get(i).replaceAll(",cat$", ",dog"));
                changed++;
            }
        }
        Files.write(data.resolve("labels.csv"), lines);
        ferry.push(new PushRequest(data, null, CATS_DOGS, "10 cats relabelled", null), TransferListener.NONE);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (ferry != null) {
            ferry.close();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private void screenshot(String name) throws IOException {
        Files.write(screenshots.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private void logIn() {
        browser.get(root + "/ui/login?ticket=" + ferry.loginTicket().ticket());
        waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("datasets")));
    }

    /**
     * Whether the images in view have loaded and decoded (a thumbnail that failed has no natural width);
     * those further down load lazily, as they are scrolled to.
     */
    private boolean imagesLoaded() {
        Object loaded = ((JavascriptExecutor) browser).executeScript("const seen = Array.from(document.images)"
                + ".filter(i => i.getBoundingClientRect().top < window.innerHeight);"
                + " return seen.length > 0 && seen.every(i => i.complete && i.naturalWidth > 0);");
        return Boolean.TRUE.equals(loaded);
    }

    @Test
    void aUserLooksAtTheExampleItsRowsAndTheDiffOfItsTwoVersions() throws Exception {
        logIn();
        assertThat(browser.findElement(By.id("datasets")).getText()).contains("cats_dogs_train", "image_classification", "576");
        screenshot("1-datasets");

        browser.findElement(By.linkText("cats_dogs_train")).click();
        WebElement histogram = waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("histogram")));
        assertThat(histogram.getText()).contains("dog", "298", "cat", "278");
        assertThat(browser.findElement(By.id("versions")).getText()).contains("10 cats relabelled", "the bundled example", "latest");
        screenshot("2-versions");

        // the newest version's rows: 100 per page, with thumbnails
        browser.findElements(By.linkText("rows")).get(0).click();
        waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("rows")));
        assertThat(browser.findElement(By.id("rows-summary")).getText()).contains("Rows 1–100 of 576");
        List<WebElement> thumbnails = browser.findElements(By.cssSelector("#rows td.image img"));
        assertThat(thumbnails).hasSize(100);
        waitUpTo(20).until(d -> imagesLoaded());
        screenshot("3-rows");
        browser.findElement(By.id("next")).click();
        waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("rows-summary"), "Rows 101–200 of 576"));

        // by label: the select, then Apply
        new Select(browser.findElement(By.id("label-filter"))).selectByValue("cat");
        browser.findElement(By.id("apply")).click();
        waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("rows-summary"), "of 278 that the filter keeps"));
        assertThat(browser.findElements(By.cssSelector("#rows tbody tr")))
                .allSatisfy(tr -> assertThat(tr.getText()).contains(" cat "));
        // and an expression on top
        browser.findElement(By.id("where")).sendKeys("filename LIKE 'cat_00%'");
        browser.findElement(By.id("apply")).click();
        waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("rows-summary"), "of 0 that the filter keeps"));
        // (cat_000 .. cat_009 are the ten relabelled dogs now)
        screenshot("4-filtered");

        // the diff of the two versions: the 10 relabelled records, images side by side
        browser.get(root + "/ui/datasets/cats_dogs_train");
        browser.findElement(By.id("compare-button")).click();
        waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("diff-counts")));
        assertThat(browser.findElement(By.id("count-changed")).getText()).isEqualTo("10");
        assertThat(browser.findElement(By.id("count-added")).getText()).isEqualTo("0");
        assertThat(browser.findElement(By.id("label-changes")).getText()).contains("cat dog 10");
        List<WebElement> changes = browser.findElements(By.cssSelector("#changes tr.change"));
        assertThat(changes).hasSize(10);
        assertThat(changes).allSatisfy(tr -> assertThat(tr.findElements(By.tagName("img"))).hasSize(2));
        waitUpTo(20).until(d -> imagesLoaded());
        assertThat(browser.getCurrentUrl()).contains("from=" + firstVersion);
        screenshot("5-diff");
    }

    @Test
    void aRunPageFollowsThePushLiveToOneHundredPercent() throws Exception {
        logIn();
        Path data = tmp.resolve("live");
        copy(Path.of("..", "examples", "cats-dogs").toAbsolutePath().normalize(), data);
        Files.writeString(data.resolve("labels.csv"), Files.readString(data.resolve("labels.csv")).replace(",dog", ",hound"));
        gate.open = new CountDownLatch(1); // the run waits until the page is open
        Submission s = ferry.submit(PushRequest.spec(new PushRequest(data, null, CATS_DOGS, "live", null)), null);
        browser.get(root + "/ui/runs/" + s.run().id());
        WebElement state = waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("state")));
        assertThat(state.getText()).isEqualTo("received");
        assertThat(browser.findElement(By.id("percent")).getText()).isEqualTo("0");
        screenshot("6-run-waiting");
        gate.open.countDown();
        waitUpTo(60).until(ExpectedConditions.textToBe(By.id("state"), "completed"));
        waitUpTo(20).until(ExpectedConditions.textToBe(By.id("percent"), "100"));
        assertThat(browser.findElement(By.id("result")).getText()).contains("576 records", "576 inserted");
        // its events came over the stream while the page was open (counted by run.js, kept across its reload)
        Object live = ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('ferry-live-" + s.run().id() + "');");
        assertThat(live).as("events the page took live").isNotNull();
        assertThat(Integer.parseInt(String.valueOf(live))).isGreaterThan(2);
        screenshot("7-run-done");
        // a reload shows the same outcome, from the server
        browser.navigate().refresh();
        assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("completed");
        browser.get(root + "/ui/runs");
        assertThat(browser.findElement(By.id("runs")).getText()).contains(s.run().id(), "completed");
        new File(screenshots.toFile(), "8-runs.png").delete();
        screenshot("8-runs");
    }
}
