package io.workerrole.it.support;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;

/** HTTPS clients that trust exactly one server: the certificate in its own key store. */
public final class Tls {

    private Tls() {
    }

    /**
     * @param keyStore the server's resources/security/key.p12, which Liberty makes at its first start
     * @param password its password (worker.keystore.password)
     * @return an HTTP client that trusts that server's certificate, and checks the host name as always
     */
    public static HttpClient trusting(Path keyStore, String password) throws IOException, GeneralSecurityException {
        return HttpClient.newBuilder().sslContext(context(keyStore, password)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** @return TLS that trusts that server's certificate, for a client of the test's own making (one that keeps cookies, say) */
    public static SSLContext context(Path keyStore, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, password.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }
}
