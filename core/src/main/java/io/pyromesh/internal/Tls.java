package io.pyromesh.internal;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.pyromesh.config.ConfigException;
import io.pyromesh.config.PyroConfig;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * TLS and mutual TLS from the {@code PYRO_SSL_*} settings, as Pyro uses them: {@code SSL} switches it on
 * for both ends; the server presents {@code SSL_SERVERCERT}/{@code SSL_SERVERKEY} and, with
 * {@code SSL_REQUIRECLIENTCERT}, demands a client certificate signed by a CA in {@code SSL_CACERTS};
 * the client checks the server's chain and host name against {@code SSL_CACERTS} (or the JDK's trust
 * store when empty) and presents {@code SSL_CLIENTCERT}/{@code SSL_CLIENTKEY} when set.
 * {@code SSL_CACERTS} may be a PEM file or a directory of them.
 */
public final class Tls {
    private static final Pattern PEM_CERTIFICATE =
            Pattern.compile("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----");

    private Tls() {}

    /** Credentials for a daemon's server socket: plaintext unless {@code SSL} is on. */
    public static ServerCredentials serverCredentials(PyroConfig config) {
        if (!config.ssl()) {
            return InsecureServerCredentials.create();
        }
        File cert = existing("SSL_SERVERCERT", config.sslServerCert(), "server cert");
        // like Pyro, a missing key means the certificate file holds the key too
        File key = config.sslServerKey().isEmpty() ? cert : existing("SSL_SERVERKEY", config.sslServerKey(), "server key");
        try {
            TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
                    .keyManager(cert, key, emptyToNull(config.sslServerKeyPassword()));
            if (config.sslRequireClientCert()) {
                if (config.sslCaCerts().isEmpty()) {
                    throw new ConfigException("PYRO_SSL_REQUIRECLIENTCERT needs PYRO_SSL_CACERTS to check client certificates against");
                }
                tls.trustManager(caCertificates(config.sslCaCerts()))
                        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            return tls.build();
        } catch (IOException e) {
            throw new ConfigException("cannot load the server certificate or key: " + e.getMessage());
        }
    }

    /** Credentials for a proxy's channel: plaintext unless {@code SSL} is on. */
    public static ChannelCredentials channelCredentials(PyroConfig config) {
        if (!config.ssl()) {
            return InsecureChannelCredentials.create();
        }
        try {
            TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
            if (!config.sslCaCerts().isEmpty()) {
                tls.trustManager(caCertificates(config.sslCaCerts()));
            }
            if (!config.sslClientCert().isEmpty()) {
                File cert = existing("SSL_CLIENTCERT", config.sslClientCert(), "client cert");
                File key = config.sslClientKey().isEmpty() ? cert : existing("SSL_CLIENTKEY", config.sslClientKey(), "client key");
                tls.keyManager(cert, key, emptyToNull(config.sslClientKeyPassword()));
            }
            return tls.build();
        } catch (IOException e) {
            throw new ConfigException("cannot load the client certificate, key or CA certificates: " + e.getMessage());
        }
    }

    private static InputStream caCertificates(String fileOrDirectory) throws IOException {
        Path path = existing("SSL_CACERTS", fileOrDirectory, "CA certificates").toPath();
        if (!Files.isDirectory(path)) {
            return Files.newInputStream(path);
        }
        // a directory in OpenSSL's layout: the certificates of every file in it (other PEM blocks, such
        // as keys kept beside them, are not trust anchors and are left out)
        StringBuilder certificates = new StringBuilder();
        try (Stream<Path> files = Files.list(path)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                Matcher certificate = PEM_CERTIFICATE.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
                while (certificate.find()) {
                    certificates.append(certificate.group()).append('\n');
                }
            }
        }
        if (certificates.length() == 0) {
            throw new ConfigException("no certificates found in the directory " + path + " (PYRO_SSL_CACERTS)");
        }
        return new ByteArrayInputStream(certificates.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static File existing(String item, String path, String what) {
        if (path == null || path.isEmpty()) {
            throw new ConfigException("PYRO_SSL is on but PYRO_" + item + " is not set");
        }
        File file = new File(path);
        if (!file.exists()) {
            throw new ConfigException(what + " file not found: " + path + " (PYRO_" + item + ")");
        }
        return file;
    }

    private static String emptyToNull(String password) {
        return password == null || password.isEmpty() ? null : password;
    }
}
