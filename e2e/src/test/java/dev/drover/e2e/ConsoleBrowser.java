package dev.drover.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium (Debian's chromium and chromium-driver) looking at a console, saving a
 * screenshot of each page it is asked to.
 */
final class ConsoleBrowser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver driver;
  private final Path screenshots;
  private String base;

  static boolean installed() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  static String skipReason() {
    return "No browser: install Debian's chromium and chromium-driver (.ci/run does) for the"
        + " console's browser tests";
  }

  ConsoleBrowser(Path screenshots) throws IOException {
    this.screenshots = Files.createDirectories(screenshots);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
    driver =
        new ChromeDriver(
            new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
            options);
  }

  /** The console the next {@link #open} calls go to, e.g. http://127.0.0.1:8090. */
  ConsoleBrowser at(String base) {
    this.base = base;
    return this;
  }

  ConsoleBrowser open(String path) {
    driver.get(base + path);
    return this;
  }

  void screenshot(String name) throws IOException {
    Files.write(screenshots.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
  }

  /**
   * An element's text; a live update may swap the element between finding and reading it, so a
   * stale one is found again.
   */
  String text(String css) {
    return onFreshElement(css, WebElement::getText);
  }

  /**
   * Applies an action to the element a selector finds now, finding it again when a live update
   * swapped it in between.
   */
  private <T> T onFreshElement(String css, Function<WebElement, T> action) {
    for (int attempt = 1; ; attempt++) {
      try {
        return action.apply(driver.findElement(By.cssSelector(css)));
      } catch (StaleElementReferenceException swapped) {
        if (attempt == 5) {
          throw swapped;
        }
      }
    }
  }

  /** Waits until an element's whole text matches a regular expression. */
  void awaitMatch(String css, String regex, Duration patience) {
    awaitElement(css, patience, text -> text.matches(regex));
  }

  /**
   * Waits until an element's text passes a check; on a timeout the failure names the page and what
   * the element said, and a screenshot of the page is saved as timeout.png.
   */
  private void awaitElement(String css, Duration patience, Predicate<String> check) {
    try {
      await()
          .atMost(patience)
          .ignoreExceptionsInstanceOf(NoSuchElementException.class)
          .until(() -> check.test(text(css)));
    } catch (ConditionTimeoutException timedOut) {
      String seen = has(css) ? "'" + text(css) + "'" : "absent";
      try {
        screenshot("timeout");
      } catch (IOException | RuntimeException notSaved) {
        timedOut.addSuppressed(notSaved);
      }
      throw new AssertionError(
          "on " + driver.getCurrentUrl() + " " + css + " was " + seen + " after " + patience,
          timedOut);
    }
  }

  String page() {
    return driver.getPageSource();
  }

  boolean has(String css) {
    return !driver.findElements(By.cssSelector(css)).isEmpty();
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  void click(String css) {
    onFreshElement(
        css,
        button -> {
          button.click();
          return button;
        });
  }

  void type(String css, String text) {
    onFreshElement(
        css,
        field -> {
          field.clear();
          field.sendKeys(text);
          return field;
        });
  }

  /** Waits until an element's text contains a value, reading it again as live updates swap it. */
  void awaitText(String css, String expected, Duration patience) {
    awaitElement(css, patience, text -> text.contains(expected));
  }

  /** Marks the loaded document; the mark survives live updates and is gone after a reload. */
  void markDocument() {
    ((JavascriptExecutor) driver).executeScript("window.droverMark = 'not reloaded';");
  }

  boolean documentStillMarked() {
    return "not reloaded"
        .equals(((JavascriptExecutor) driver).executeScript("return window.droverMark;"));
  }

  void forgetLogin() {
    driver.manage().deleteAllCookies();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
