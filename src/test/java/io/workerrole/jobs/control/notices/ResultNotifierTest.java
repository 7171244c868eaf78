package io.workerrole.jobs.control.notices;

import io.workerrole.jobs.entity.NoticeChannel;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResultNotifierTest {

    @Test
    void everyWayOfNotReachingACallbackIsRecordedAlikeSoThatNoPortIsToldOpenOrClosed() {
        String url = "http://127.0.0.1:5432/done";
        List<Throwable> causes = List.of(new ConnectException(), new ConnectException("Connection refused"),
                new SocketException("Connection reset"), new IOException("HTTP/1.1 header parser received no bytes"),
                new HttpTimeoutException("request timed out"), new HttpConnectTimeoutException("HTTP connect timed out"),
                new SSLHandshakeException("Remote host terminated the handshake"), new IllegalStateException());

        for (Throwable cause : causes) {
            assertEquals("could not reach http://127.0.0.1:5432", ResultNotifier.failureReason(NoticeChannel.CALLBACK, url, cause), cause.toString());
        }
    }

    @Test
    void aCallbackThatWasAnsweredIsRecordedWithItsStatus() {
        assertEquals("HTTP 500", ResultNotifier.failureReason(NoticeChannel.CALLBACK, "https://hooks.example.com/x",
                new ResultNotifier.CallbackAnswered(500)));
    }

    @Test
    void otherNoticesKeepTheirFailuresMessage() {
        assertEquals("queue gone", ResultNotifier.failureReason(NoticeChannel.REPLY, null, new IllegalStateException("queue gone")));
    }

    @Test
    void keepsTheNoticeBackoffOfItsFormerArithmeticForEveryFailureCount() {
        IntStream.concat(IntStream.rangeClosed(1, 10_000), IntStream.of(1 << 20, Integer.MAX_VALUE)).forEach(failures ->
                assertEquals(formerBackoff(failures), ResultNotifier.BACKOFF.delayAfter(failures), "after " + failures + " failures"));
    }

    /**
     * ResultNotifier.backoff(int) as it was before it used Backoff (issue 29), kept as the reference:
     * 1 s doubling to 1024 s. Its callers count from 1 failure; below that it gave no usable
     * delay (a negative one), where Backoff reads the count as 1.
     */
    private static Duration formerBackoff(int failures) {
        return Duration.ofSeconds(1L << Math.min(failures - 1, 10));
    }
}
