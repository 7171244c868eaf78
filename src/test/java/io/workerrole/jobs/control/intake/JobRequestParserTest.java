package io.workerrole.jobs.control.intake;

import io.workerrole.platform.rest.InvalidRequestException.Kind;
import io.workerrole.jobs.entity.JobRequest;
import io.workerrole.platform.AllowedOrigins;
import io.workerrole.platform.rest.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobRequestParserTest {

    private static final AllowedOrigins LOCAL = AllowedOrigins.parse("http://127.0.0.1:9999, http://localhost:9999, https://127.0.0.1, localhost");

    private final JobRequestParser parser = new JobRequestParser(1000, LOCAL);

    @Test
    void onlyTypeIsRequired() {
        JobRequest request = parser.parse("{\"type\": \"echo\"}");

        assertEquals("echo", request.type());
        assertEquals("null", request.payload());
        assertNull(request.idempotencyKey());
        assertNull(request.priority());
        assertNull(request.mutex());
        assertFalse(request.reply());
    }

    @Test
    void readsEveryFieldOfTheContract() {
        JobRequest request = parser.parse("{\"type\": \"thumbnail\", \"payload\": {\"path\": \"a.png\"}, "
                + "\"idempotencyKey\": \"upload-8812\", \"sequence\": {\"key\": \"order-42\", \"number\": 3}, "
                + "\"callbackUrl\": \"http://127.0.0.1:9999/done\", \"priority\": 7, \"reply\": true, \"mutex\": \"account-42\", "
                + "\"futureField\": 1}");

        assertEquals("{\"path\":\"a.png\"}", request.payload());
        assertEquals("upload-8812", request.idempotencyKey());
        assertEquals("order-42", request.sequenceKey());
        assertEquals(3L, request.sequenceNumber());
        assertEquals("http://127.0.0.1:9999/done", request.callbackUrl());
        assertEquals(7, request.priority());
        assertTrue(request.reply());
        assertEquals("account-42", request.mutex());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON                   | {\"type\":                                        | MALFORMED | not valid JSON",
            "an array                   | [1]                                               | MALFORMED | must be a JSON object",
            "a second object after it   | {\"type\": \"e\"} {\"type\": \"f\"}           | MALFORMED | more after the JSON value, at line 1",
            "a brace too many           | {\"type\": \"e\"}}                             | MALFORMED | more after the JSON value",
            "a string                   | \"echo\"                                          | MALFORMED | not a string",
            "blank                      | '   '                                             | MALFORMED | empty",
            "no type                    | {\"payload\": 1}                                  | INVALID   | \"type\" is required",
            "null type                  | {\"type\": null}                                  | INVALID   | \"type\" is required",
            "numeric type               | {\"type\": 1}                                     | INVALID   | must be a string, not a number",
            "type with spaces           | {\"type\": \"a b\"}                               | INVALID   | letters, digits",
            "priority too high          | {\"type\": \"e\", \"priority\": 10}               | INVALID   | from 0 to 9",
            "priority 2^32 + 4          | {\"type\": \"e\", \"priority\": 4294967300}       | INVALID   | from 0 to 9",
            "fractional priority        | {\"type\": \"e\", \"priority\": 1.5}              | INVALID   | whole number",
            "sequence without number    | {\"type\": \"e\", \"sequence\": {\"key\": \"k\"}} | INVALID   | needs both",
            "negative sequence number   | {\"type\": \"e\", \"sequence\": {\"key\": \"k\", \"number\": -1}} | INVALID | from 0",
            "relative callback          | {\"type\": \"e\", \"callbackUrl\": \"/done\"}     | INVALID   | absolute http or https",
            "reply not boolean          | {\"type\": \"e\", \"reply\": \"yes\"}             | INVALID   | true or false",
            "empty idempotency key      | {\"type\": \"e\", \"idempotencyKey\": \"\"}       | INVALID   | 1 to 200 characters",
            "empty mutex                | {\"type\": \"e\", \"mutex\": \"\"}                | INVALID   | \"mutex\" must be 1 to 200 characters",
            "numeric mutex              | {\"type\": \"e\", \"mutex\": 42}                  | INVALID   | \"mutex\" must be a string, not a number",
            "object mutex               | {\"type\": \"e\", \"mutex\": {\"key\": \"k\"}}     | INVALID   | \"mutex\" must be a string, not an object",
    })
    void saysPreciselyWhatIsWrong(String what, String body, Kind kind, String reason) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> parser.parse(body));
        assertEquals(kind, e.kind());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void theSizeLimitCountsUtf8Bytes() {
        String payload = "é".repeat(490); // 980 bytes in UTF-8 but only 490 characters
        assertEquals("echo", parser.parse("{\"type\":\"echo\",\"payload\":\"" + payload.substring(0, 470) + "\"}").type());
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> parser.parse("{\"type\":\"echo\",\"payload\":\"" + payload + "\"}"));
        assertEquals(Kind.TOO_LARGE, e.kind());
        assertEquals(413, e.kind().httpStatus());
    }

    @Test
    void deepNestingIsRejectedNotAStackOverflow() {
        String deep = "{\"type\":\"e\",\"payload\":" + "[".repeat(400) + "]".repeat(400) + "}";
        JobRequestParser roomy = new JobRequestParser(10_000, LOCAL);
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> new JobRequestParser(100_000, LOCAL).parse("{\"type\":\"e\",\"payload\":" + "[".repeat(5000) + "]".repeat(5000) + "}"));
        assertEquals(Kind.MALFORMED, e.kind());
        assertEquals("e", roomy.parse(deep).type(), "ordinary nesting is fine");
    }

    private static JobRequest withCallback(JobRequestParser parser, String url) {
        return parser.parse("{\"type\": \"echo\", \"callbackUrl\": \"" + url + "\"}");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://localhost:9999/done", "https://127.0.0.1/done", "https://127.0.0.1:443/done", "http://LOCALHOST/done",
            "http://LocalHost.:80/done", "HTTP://127.0.0.1:9999/done"})
    void aCallbackToAnAllowedOriginIsAccepted(String url) {
        assertEquals(url, withCallback(parser, url).callbackUrl());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "http://169.254.169.254/latest/meta-data/       | http://169.254.169.254:80",
            "http://localhost@169.254.169.254/              | http://169.254.169.254:80",
            "http://localhost:9999@169.254.169.254/done     | http://169.254.169.254:80",
            "http://127.0.0.1:5432/done                     | http://127.0.0.1:5432",
            "http://localhost:8080/done                     | http://localhost:8080",
            "https://localhost:9999/done                    | https://localhost:9999",
            "http://127.0.0.1/done                          | http://127.0.0.1:80",
            "http://127.0.0.1.nip.io:9999/done              | http://127.0.0.1.nip.io:9999",
            "http://[::1]:9999/done                         | http://[::1]:9999",
            "http://2130706433:9999/done                    | http://2130706433:9999",
            "https://internal.example.com/hook              | https://internal.example.com:443",
    })
    void aCallbackToAnyOtherOriginIsRefusedNamingTheOriginAndTheSetting(String url, String origin) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> withCallback(parser, url));
        assertEquals(Kind.INVALID, e.kind());
        assertEquals("\"callbackUrl\" origin " + origin + " is not in worker.callback.allowedOrigins"
                + " (an admin lists there the origins the worker may call)", e.getMessage());
    }

    @Test
    void withNoOriginListedCallbacksAreOffAndTheRefusalSaysWhereToListOne() {
        JobRequestParser none = new JobRequestParser(1000, AllowedOrigins.parse(""));

        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> withCallback(none, "http://127.0.0.1:9999/done"));
        assertEquals(Kind.INVALID, e.kind());
        assertTrue(e.getMessage().startsWith("\"callbackUrl\": callbacks are off: no origin is listed in worker.callback.allowedOrigins"),
                e.getMessage());
        assertEquals("echo", none.parse("{\"type\": \"echo\"}").type(), "a job without a callback is accepted as ever");
    }

    @Test
    void aWildcardAllowsCallbacksToTheHostsUnderADomainOnItsPortOnly() {
        JobRequestParser wide = new JobRequestParser(1000, AllowedOrigins.parse("https://*.hooks.example.com"));

        assertEquals("https://a.hooks.example.com/x", withCallback(wide, "https://a.hooks.example.com/x").callbackUrl());
        assertEquals("https://B.a.HOOKS.example.com/x", withCallback(wide, "https://B.a.HOOKS.example.com/x").callbackUrl());
        for (String url : new String[] {"https://hooks.example.com/x", "https://evilhooks.example.com/x", "https://a.hooks.example.com.evil.net/x",
                "https://a.hooks.example.com@169.254.169.254/x", "http://a.hooks.example.com/x", "https://a.hooks.example.com:8443/x"}) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> withCallback(wide, url), url);
            assertTrue(e.getMessage().contains("is not in worker.callback.allowedOrigins"), e.getMessage());
        }
    }

    @Test
    void aCallbackThatIsNoHttpUrlIsRefusedBeforeItsOriginIsLookedAt() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> withCallback(parser, "ftp://localhost/x"));
        assertTrue(e.getMessage().contains("absolute http or https"), e.getMessage());
        e = assertThrows(InvalidRequestException.class, () -> withCallback(parser, "http://local host/x"));
        assertTrue(e.getMessage().contains("not a valid URL"), e.getMessage());
    }

    @Test
    void aRequestBuiltInCodeMeetsTheSameRules() {
        JobRequest fine = new JobRequest("echo", "{\"i\":1}", "k-1", "order-1", 2L, "http://localhost/done", 9, false);
        assertEquals(fine, parser.check(fine));

        assertEquals("\"priority\" must be from 0 to 9", assertThrows(InvalidRequestException.class,
                () -> parser.check(new JobRequest("echo", "null", null, null, null, null, 12, false))).getMessage());
        assertTrue(assertThrows(InvalidRequestException.class,
                () -> parser.check(new JobRequest("echo", "null", "k".repeat(201), null, null, null, null, false))).getMessage()
                .contains("\"idempotencyKey\" must be 1 to 200 characters"));
        assertTrue(assertThrows(InvalidRequestException.class,
                () -> parser.check(new JobRequest("echo", "null", null, null, null, "http://example.com/x", null, false))).getMessage()
                .contains("is not in worker.callback.allowedOrigins"));
        assertEquals(InvalidRequestException.Kind.TOO_LARGE, assertThrows(InvalidRequestException.class,
                () -> parser.check(new JobRequest("echo", "\"" + "x".repeat(1000) + "\"", null, null, null, null, null, false))).kind());
        assertEquals("\"mutex\" must be 1 to 200 characters long", assertThrows(InvalidRequestException.class,
                () -> parser.check(JobRequest.plain("echo", "null", null, null).withMutex("m".repeat(201)))).getMessage());
        assertEquals("m-1", parser.check(JobRequest.plain("echo", "null", null, null).withMutex("m-1")).mutex());
    }

    /** Every duration, instant and text of the contract within its bounds, the field named: never an ArithmeticException. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "the longest delay Duration reads | {\"type\": \"e\", \"delay\": \"PT9223372036854775807S\"}   | \"delay\" PT9223372036854775807S is longer than PT168H (worker.jobs.maxDelay)",
            "a delay just over maxDelay      | {\"type\": \"e\", \"delay\": \"PT168H0.001S\"}            | \"delay\" PT168H0.001S is longer than PT168H (worker.jobs.maxDelay)",
            "a runAt in the year 999999999   | {\"type\": \"e\", \"runAt\": \"+999999999-01-01T00:00:00Z\"} | \"runAt\" +999999999-01-01T00:00:00Z is more than PT168H ahead (worker.jobs.maxDelay)",
            "a runAt before the year 1       | {\"type\": \"e\", \"runAt\": \"-999999999-01-01T00:00:00Z\"} | \"runAt\" -999999999-01-01T00:00:00Z is more than PT1M in the past",
            "a runAt past Instant's range    | {\"type\": \"e\", \"runAt\": \"+1000000001-01-01T00:00:00Z\"} | \"runAt\" must be an ISO-8601 instant",
            "a type of 101 characters        | {\"type\": \"TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT\"} | \"type\" must be 1 to 100",
    })
    void aDurationInstantOrTextOutOfBoundsIsRefusedNamingTheField(String what, String body, String reason) {
        JobRequestParser timed = new JobRequestParser(100_000, LOCAL, new JobRequestParser.RunTimes(
                Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC), Duration.ofMinutes(1), Duration.ofDays(7)));
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> timed.parse(body));
        assertEquals(Kind.INVALID, e.kind());
        assertTrue(e.getMessage().startsWith(reason), e.getMessage());
    }

    @Test
    void keysAndUrlsLongerThanTheirColumnsAreRefusedNamingTheField() {
        JobRequestParser roomy = new JobRequestParser(100_000, LOCAL);
        String key = "k".repeat(201);
        assertEquals("\"idempotencyKey\" must be 1 to 200 characters long", assertThrows(InvalidRequestException.class,
                () -> roomy.parse("{\"type\": \"e\", \"idempotencyKey\": \"" + key + "\"}")).getMessage());
        assertEquals("\"sequence.key\" must be 1 to 200 characters long", assertThrows(InvalidRequestException.class,
                () -> roomy.parse("{\"type\": \"e\", \"sequence\": {\"key\": \"" + key + "\", \"number\": 1}}")).getMessage());
        assertEquals("\"mutex\" must be 1 to 200 characters long", assertThrows(InvalidRequestException.class,
                () -> roomy.parse("{\"type\": \"e\", \"mutex\": \"" + key + "\"}")).getMessage());
        assertEquals("k".repeat(200), roomy.parse("{\"type\": \"e\", \"mutex\": \"" + "k".repeat(200) + "\"}").mutex());
        assertEquals("\"callbackUrl\" must be 1 to 2000 characters long", assertThrows(InvalidRequestException.class,
                () -> roomy.parse("{\"type\": \"e\", \"callbackUrl\": \"http://localhost/" + "p".repeat(2000) + "\"}")).getMessage());
        assertEquals("k".repeat(200), roomy.parse("{\"type\": \"e\", \"idempotencyKey\": \"" + "k".repeat(200) + "\"}").idempotencyKey());
    }

    @Test
    void aRunTimeComesAsRunAtOrAsDelayWithinItsBounds() {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");
        JobRequestParser timed = new JobRequestParser(1000, LOCAL,
                new JobRequestParser.RunTimes(Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(1), Duration.ofDays(7)));

        assertEquals(now.plusSeconds(600), timed.parse("{\"type\": \"e\", \"delay\": \"PT10M\"}").runAt());
        assertEquals(now.plusSeconds(60), timed.parse("{\"type\": \"e\", \"runAt\": \"2026-12-02T10:01:00Z\"}").runAt());
        assertEquals(now.minusSeconds(30), timed.parse("{\"type\": \"e\", \"runAt\": \"2026-12-02T09:59:30Z\"}").runAt(),
                "a little in the past is within the grace: it runs now");
        assertNull(timed.parse("{\"type\": \"e\"}").runAt());

        for (String[] bad : new String[][] {
                {"{\"type\": \"e\", \"runAt\": \"2026-12-02T09:00:00Z\"}", "in the past"},
                {"{\"type\": \"e\", \"runAt\": \"2026-12-24T18:00:00Z\"}", "worker.jobs.maxDelay"},
                {"{\"type\": \"e\", \"runAt\": \"tomorrow\"}", "ISO-8601 instant"},
                {"{\"type\": \"e\", \"delay\": \"10 minutes\"}", "ISO-8601 duration"},
                {"{\"type\": \"e\", \"delay\": \"-PT1M\"}", "cannot be negative"},
                {"{\"type\": \"e\", \"delay\": \"PT1M\", \"runAt\": \"2026-12-02T10:05:00Z\"}", "not both"}}) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> timed.parse(bad[0]));
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
            assertEquals(InvalidRequestException.Kind.INVALID, e.kind());
        }
    }
}
