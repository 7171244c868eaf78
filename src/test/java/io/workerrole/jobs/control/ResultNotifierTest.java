package io.workerrole.jobs.control;

import io.workerrole.jobs.entity.NoticeChannel;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.List;

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
}
