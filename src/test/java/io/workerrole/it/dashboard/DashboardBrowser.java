package io.workerrole.it.dashboard;

import io.workerrole.it.support.User;
import io.workerrole.it.support.WorkerServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Collectors;

/**
 * The dashboard of one test deployment (or of any server: {@link #at}) in a headless browser,
 * one browser per test class (register it with {@code @RegisterExtension}): signs in as a user, opens a route, finds the
 * page's {@code data-test} hooks and waits for what they show. When a test fails it saves the
 * page as the browser shows it, target/dashboard-screenshots/CLASS-METHOD.png, with its HTML and
 * the browser's console next to it (and removes them when the test passes again). A test whose
 * page wrote an error or a warning to the console fails: Alpine only logs an expression that
 * throws, and the page goes on without that part.
 */
public final class DashboardBrowser implements AfterEachCallback, AfterAllCallback, TestWatcher {

    static final Path SCREENSHOTS = Path.of("target/dashboard-screenshots");
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** The dashboard's address, with its slash: the routes are hashes of it. */
    private final URI dashboard;
    private HeadlessChromium chromium;
    /** What the console said during the last test (reading the browser's log empties it). */
    private List<LogEntry> console = List.of();

    /** @param contextRoot the test deployment's on the Arquillian server, without slashes */
    public DashboardBrowser(String contextRoot) {
        this(WorkerServer.uri("/" + contextRoot + "/dashboard/"));
    }

    private DashboardBrowser(URI dashboard) {
        this.dashboard = dashboard;
    }

    /** @param dashboard the dashboard's address on any server, such as http://localhost:9080/dashboard/ */
    public static DashboardBrowser at(URI dashboard) {
        return new DashboardBrowser(dashboard);
    }

    /** @return the hook's selector: the element marked {@code data-test="name"} */
    public static By hook(String name) {
        return By.cssSelector("[data-test='" + name + "']");
    }

    /**
     * Signs in as the user, for every request from now on, opens the route (such as
     * {@code #/jobs?state=DEAD}) on a fresh page and waits until the page has its data and the
     * user's roles.
     */
    public DashboardBrowser open(User user, String route) {
        ChromeDriver driver = driver();
        // The header rides on every request the page makes, its fetch calls included. Liberty
        // answers a first sign-in with a single sign-on cookie, which would keep the last user.
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", user.basic())));
        // A new document each time: a route that differs only in its hash would not load again.
        driver.get("about:blank");
        driver.get(dashboard + route);
        until(() -> text("me").startsWith(user.name()));
        until(() -> !driver.findElements(By.cssSelector("section[data-test^='page-'][data-loaded]")).isEmpty());
        return this;
    }

    /** @return the element of the hook, once there is one */
    public WebElement find(String hook) {
        return until(() -> driver().findElements(hook(hook)).stream().findFirst().orElse(null));
    }

    /** @return the elements of the hook now, perhaps none */
    public List<WebElement> all(String hook) {
        return driver().findElements(hook(hook));
    }

    /** @return the text of the hook's first element, as shown */
    public String text(String hook) {
        return find(hook).getText();
    }

    /** @return the texts of the hook's elements now */
    public List<String> texts(String hook) {
        return retried(() -> all(hook).stream().map(WebElement::getText).toList());
    }

    /** @return the element of the hook whose text contains this, once there is one */
    public WebElement row(String hook, String containing) {
        return until(() -> all(hook).stream().filter(row -> row.getText().contains(containing)).findFirst().orElse(null));
    }

    /** Waits until the condition holds (true, or not null), through the page's refreshes, and returns its value. */
    public <T> T until(Supplier<T> condition) {
        return new WebDriverWait(driver(), PATIENCE).ignoring(StaleElementReferenceException.class).until(d -> {
            T value = condition.get();
            return Boolean.FALSE.equals(value) ? null : value;
        });
    }

    /** @return the data-test hook (or else the text) of each button the page shows */
    @SuppressWarnings("unchecked")
    public List<String> visibleButtons() {
        return (List<String>) script("return [...document.querySelectorAll('button')].filter(b => b.offsetParent !== null)"
                + ".map(b => b.dataset.test || b.textContent.trim())");
    }

    public Object script(String javascript) {
        return ((JavascriptExecutor) driver()).executeScript(javascript);
    }

    /** Saves what the browser shows as target/dashboard-screenshots/NAME.png. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver().getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (chromium == null) {
            return;
        }
        String name = failureName(context);
        try {
            screenshot(name);
            Files.writeString(SCREENSHOTS.resolve(name + ".html"), driver().getPageSource(), StandardCharsets.UTF_8);
            Files.writeString(SCREENSHOTS.resolve(name + ".console.log"),
                    console.stream().map(LogEntry::toString).collect(Collectors.joining("\n")), StandardCharsets.UTF_8);
        } catch (RuntimeException | IOException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (chromium == null) {
            return;
        }
        console = driver().manage().logs().get(LogType.BROWSER).getAll();
        // Requests that fail are the message area's to show, and one cut short by the next test's page is no fault.
        List<LogEntry> complaints = console.stream().filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .filter(entry -> !entry.getMessage().contains("Failed to load resource")).toList();
        if (!complaints.isEmpty() && context.getExecutionException().isEmpty()) {
            throw new AssertionError("the dashboard wrote to the browser's console: " + complaints);
        }
    }

    /** Removes what an earlier failure of this test saved, so that what is there is this run's. */
    @Override
    public void testSuccessful(ExtensionContext context) {
        String name = failureName(context);
        try {
            for (String suffix : List.of(".png", ".html", ".console.log")) {
                Files.deleteIfExists(SCREENSHOTS.resolve(name + suffix));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (chromium != null) {
            chromium.quit();
            chromium = null;
        }
    }

    private ChromeDriver driver() {
        if (chromium == null) {
            chromium = HeadlessChromium.start();
        }
        return chromium.driver();
    }

    private static String failureName(ExtensionContext context) {
        return context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
    }

    /** Reads the page again when a refresh replaced an element while it was being read. */
    private static <T> T retried(Supplier<T> read) {
        for (int tries = 1; ; tries++) {
            try {
                return read.get();
            } catch (StaleElementReferenceException e) {
                if (tries == 5) {
                    throw e;
                }
            }
        }
    }
}
