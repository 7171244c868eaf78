package io.workerrole.scripts.control;

import io.workerrole.scripts.entity.ScriptKind;
import io.workerrole.scripts.entity.ScriptSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsJobTest {

    @TempDir
    Path folder;

    @ParameterizedTest
    @ValueSource(strings = {"", "  \n", "{}", "\uFEFF{}", "{\"schedule\": null, \"is_singleton\": null, \"timeout\": null}"})
    void anEmptyFileAnEmptyObjectOrNullsGiveTheDefaults(String text) {
        assertEquals(ScriptSettings.defaults(ScriptKind.TRIGGERED), SettingsJob.parse(text, ScriptKind.TRIGGERED));
        assertEquals(ScriptSettings.defaults(ScriptKind.CONTINUOUS), SettingsJob.parse(text, ScriptKind.CONTINUOUS));
    }

    @Test
    void theDefaultsDependOnTheKind() {
        ScriptSettings triggered = SettingsJob.parse("{}", ScriptKind.TRIGGERED);
        ScriptSettings continuous = SettingsJob.parse("{}", ScriptKind.CONTINUOUS);

        assertEquals(Duration.ofSeconds(30), triggered.stoppingWaitTime());
        assertEquals(Duration.ofSeconds(5), continuous.stoppingWaitTime());
        assertNull(triggered.schedule());
        assertFalse(triggered.singleton());
        assertFalse(triggered.inPlace());
        assertNull(triggered.maxAttempts());
        assertNull(triggered.timeout());
        assertNull(triggered.priority());
    }

    @Test
    void readsEveryFieldOfATriggeredScript() {
        ScriptSettings settings = SettingsJob.parse("{\"schedule\": \"0 */15 * * * *\", \"is_singleton\": true,"
                + " \"stopping_wait_time\": 60, \"is_in_place\": true, \"max_attempts\": 3, \"timeout\": 600, \"priority\": 7}",
                ScriptKind.TRIGGERED);

        assertEquals(new ScriptSettings("0 */15 * * * *", true, Duration.ofSeconds(60), true, 3, Duration.ofMinutes(10), 7),
                settings);
    }

    @Test
    void readsTheFieldsOfAContinuousScript() {
        ScriptSettings settings = SettingsJob.parse("{\"is_singleton\": true, \"stopping_wait_time\": 0, \"is_in_place\": false}",
                ScriptKind.CONTINUOUS);

        assertEquals(new ScriptSettings(null, true, Duration.ZERO, false, null, null, null), settings);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "600         | PT10M",
            "1           | PT1S",
            "604800      | P7D",
            "\"PT10M\"   | PT10M",
            "\"PT1.5S\"  | PT1.5S",
            "\" P1D \"   | P1D",
    })
    void aTimeoutIsSecondsOrAnIsoDuration(String json, String expected) {
        assertEquals(Duration.parse(expected), SettingsJob.parse("{\"timeout\": " + json + "}", ScriptKind.TRIGGERED).timeout());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "0 */15 * * * *           | 0 */15 * * * *",
            "*/5 * * * *              | */5 * * * *",
            "'  0  30   9 * * MON-FRI ' | 0 30 9 * * MON-FRI",
    })
    void aScheduleHasSixFieldsOrFiveWithItsSpacesMadeSingle(String expression, String expected) {
        assertEquals(expected, SettingsJob.parse("{\"schedule\": \"" + expression + "\"}", ScriptKind.TRIGGERED).schedule());
    }

    @Test
    void aScheduleOnAContinuousScriptIsAnError() {
        InvalidScriptException e = assertThrows(InvalidScriptException.class,
                () -> SettingsJob.parse("{\"schedule\": \"0 0 * * * *\"}", ScriptKind.CONTINUOUS));

        assertEquals("settings.job is not valid: \"schedule\" is for triggered scripts; a continuous script runs all the time"
                + " (remove the schedule, or move the folder to triggered/)", e.getMessage());
    }

    @Test
    void anUnknownFieldIsNamedWithTheKnownOnes() {
        InvalidScriptException e = assertThrows(InvalidScriptException.class,
                () -> SettingsJob.parse("{\"is_singelton\": true}", ScriptKind.TRIGGERED));

        assertEquals("settings.job is not valid: \"is_singelton\" is not a setting; the settings are schedule, is_singleton,"
                + " stopping_wait_time, is_in_place, max_attempts, timeout, priority", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"is_singleton\": \"true\"}        | \"is_singleton\" must be true or false, not the string \"true\"",
            "{\"is_singleton\": 1}               | \"is_singleton\" must be true or false, not the number 1",
            "{\"is_in_place\": []}               | \"is_in_place\" must be true or false, not an array",
            "{\"stopping_wait_time\": \"60\"}    | \"stopping_wait_time\" must be a whole number of seconds from 0 to 3600, not the string \"60\"",
            "{\"stopping_wait_time\": -1}        | \"stopping_wait_time\" must be a whole number of seconds from 0 to 3600, not the number -1",
            "{\"stopping_wait_time\": 3601}      | \"stopping_wait_time\" must be a whole number of seconds from 0 to 3600, not the number 3601",
            "{\"stopping_wait_time\": 2.5}       | \"stopping_wait_time\" must be a whole number of seconds from 0 to 3600, not the number 2.5",
            "{\"max_attempts\": 0}               | \"max_attempts\" must be a whole number from 1 to 100, not the number 0",
            "{\"max_attempts\": 101}             | \"max_attempts\" must be a whole number from 1 to 100, not the number 101",
            "{\"max_attempts\": 18446744073709551619} | \"max_attempts\" must be a whole number from 1 to 100, not the number 18446744073709551619",
            "{\"max_attempts\": true}            | \"max_attempts\" must be a whole number from 1 to 100, not the boolean true",
            "{\"priority\": -1}                  | \"priority\" must be a whole number from 0 to 9, not the number -1",
            "{\"priority\": 10}                  | \"priority\" must be a whole number from 0 to 9, not the number 10",
            "{\"priority\": {}}                  | \"priority\" must be a whole number from 0 to 9, not an object",
            "{\"schedule\": 5}                   | \"schedule\" must be a string, a cron expression such as \"0 */15 * * * *\" (second minute hour day month weekday), not the number 5",
            "{\"schedule\": \"0 0 * *\"}         | \"schedule\" must be a cron expression such as \"0 */15 * * * *\" (second minute hour day month weekday), or of 5 fields without the seconds; the string \"0 0 * *\" has 4 fields",
            "{\"schedule\": \"0 0 0 * * * 2027\"} | \"schedule\" must be a cron expression such as \"0 */15 * * * *\" (second minute hour day month weekday), or of 5 fields without the seconds; the string \"0 0 0 * * * 2027\" has 7 fields",
            "{\"schedule\": \" \"}               | \"schedule\" must be a cron expression such as \"0 */15 * * * *\" (second minute hour day month weekday), or of 5 fields without the seconds; the string \" \" has 0 fields",
    })
    void aWrongValueIsNamedWithTheExpectedTypeAndTheValue(String json, String problem) {
        InvalidScriptException e = assertThrows(InvalidScriptException.class, () -> SettingsJob.parse(json, ScriptKind.TRIGGERED));

        assertEquals("settings.job is not valid: " + problem, e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0", "-5", "1.5", "604801", "\"PT0S\"", "\"-PT1M\"", "\"P8D\"", "\"10 minutes\"", "true"})
    void aTimeoutOutOfRangeOrOfAnotherFormIsAnError(String json) {
        InvalidScriptException e = assertThrows(InvalidScriptException.class,
                () -> SettingsJob.parse("{\"timeout\": " + json + "}", ScriptKind.TRIGGERED));

        assertTrue(e.getMessage().startsWith("settings.job is not valid: \"timeout\" must be a whole number of seconds from 1 to 604800"
                + " or an ISO-8601 duration from PT1S to PT168H such as \"PT10M\", not "), e.getMessage());
    }

    @Test
    void aLongValueIsShortenedInTheMessage() {
        String text = "x".repeat(100);
        InvalidScriptException e = assertThrows(InvalidScriptException.class,
                () -> SettingsJob.parse("{\"priority\": \"" + text + "\"}", ScriptKind.TRIGGERED));

        assertTrue(e.getMessage().endsWith("not the string \"" + "x".repeat(56) + "..."), e.getMessage());
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        InvalidScriptException e = assertThrows(InvalidScriptException.class,
                () -> SettingsJob.parse("{\"priority\": 12, \"colour\": \"red\", \"is_singleton\": \"yes\"}", ScriptKind.TRIGGERED));

        assertEquals("settings.job is not valid: \"colour\" is not a setting; the settings are schedule, is_singleton,"
                + " stopping_wait_time, is_in_place, max_attempts, timeout, priority;"
                + " \"is_singleton\" must be true or false, not the string \"yes\";"
                + " \"priority\" must be a whole number from 0 to 9, not the number 12", e.getMessage());
    }

    @Test
    void textThatIsNotJsonIsAnErrorWithTheParsersPlace() {
        InvalidScriptException e = assertThrows(InvalidScriptException.class,
                () -> SettingsJob.parse("{\n  \"is_singleton\": true,\n}", ScriptKind.TRIGGERED));

        assertTrue(e.getMessage().startsWith("settings.job is not valid JSON: "), e.getMessage());
        assertTrue(e.getMessage().contains("line no=3"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{} {}", "{\"is_singleton\": true}}", "{} x", "{\"is_singleton\": true}\n{\"is_singleton\": false}"})
    void textAfterTheObjectIsNotJson(String text) {
        InvalidScriptException e = assertThrows(InvalidScriptException.class, () -> SettingsJob.parse(text, ScriptKind.TRIGGERED));

        assertTrue(e.getMessage().startsWith("settings.job is not valid JSON: "), e.getMessage());
    }

    @Test
    void nestingBeyondTheParsersLimitIsNotJson() {
        String deep = "{\"priority\": " + "[".repeat(5000) + "]".repeat(5000) + "}";

        InvalidScriptException e = assertThrows(InvalidScriptException.class, () -> SettingsJob.parse(deep, ScriptKind.TRIGGERED));

        assertTrue(e.getMessage().startsWith("settings.job is not valid JSON: "), e.getMessage());
    }

    @Test
    void aSecondObjectIsNamedWithItsLine() {
        InvalidScriptException e = assertThrows(InvalidScriptException.class,
                () -> SettingsJob.parse("{\"is_singleton\": true}\n{\"is_singleton\": false}", ScriptKind.TRIGGERED));

        assertTrue(e.getMessage().startsWith("settings.job is not valid JSON: there is more after the JSON value, at line 2, column "),
                e.getMessage());
    }

    @Test
    void whitespaceAfterTheObjectIsFine() {
        assertTrue(SettingsJob.parse("{\"is_singleton\": true}\n\n", ScriptKind.TRIGGERED).singleton());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "[]           | an array",
            "\"settings\" | the string \"settings\"",
            "30           | the number 30",
            "null         | null",
    })
    void jsonThatIsNotAnObjectIsAnError(String json, String described) {
        InvalidScriptException e = assertThrows(InvalidScriptException.class, () -> SettingsJob.parse(json, ScriptKind.TRIGGERED));

        assertEquals("settings.job must be a JSON object such as {\"is_singleton\": true}, not " + described, e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(ScriptKind.class)
    void aFolderWithoutTheFileHasTheDefaults(ScriptKind kind) {
        assertEquals(ScriptSettings.defaults(kind), SettingsJob.read(folder, kind));
    }

    @Test
    void readsTheFileOfAFolder() throws IOException {
        Files.writeString(folder.resolve("settings.job"), "{\"stopping_wait_time\": 60}");

        assertEquals(Duration.ofSeconds(60), SettingsJob.read(folder, ScriptKind.CONTINUOUS).stoppingWaitTime());
    }

    @Test
    void aFileLargerThanTheLimitIsAnError() throws IOException {
        Files.writeString(folder.resolve("settings.job"), "{" + " ".repeat(SettingsJob.MAX_BYTES) + "}");

        InvalidScriptException e = assertThrows(InvalidScriptException.class, () -> SettingsJob.read(folder, ScriptKind.TRIGGERED));

        assertEquals("settings.job is larger than 65536 bytes; it holds a few settings only", e.getMessage());
    }

    @Test
    void aFileThatIsNotUtf8IsAnError() throws IOException {
        Files.write(folder.resolve("settings.job"), new byte[] {'{', '"', (byte) 0xC3, '"', '}'});

        InvalidScriptException e = assertThrows(InvalidScriptException.class, () -> SettingsJob.read(folder, ScriptKind.TRIGGERED));

        assertEquals("settings.job is not UTF-8 text", e.getMessage());
    }

    @Test
    void aFileThatCannotBeReadIsAnError() throws IOException {
        // A folder in the file's place fails to read as root does too, unlike a file without permissions.
        Files.createDirectory(folder.resolve("settings.job"));

        InvalidScriptException e = assertThrows(InvalidScriptException.class, () -> SettingsJob.read(folder, ScriptKind.TRIGGERED));

        assertTrue(e.getMessage().startsWith("settings.job cannot be read: IOException "), e.getMessage());
    }
}
