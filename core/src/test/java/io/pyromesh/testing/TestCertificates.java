package io.pyromesh.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway certificate authority and certificates made with the real {@code openssl} command:
 * a server certificate for 127.0.0.1/localhost and a client certificate, both signed by the CA.
 */
public final class TestCertificates {
    public final Path caCert;
    public final Path serverCert;
    public final Path serverKey;
    public final Path clientCert;
    public final Path clientKey;
    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
        this.caCert = directory.resolve("ca.pem");
        this.serverCert = directory.resolve("server.pem");
        this.serverKey = directory.resolve("server.key");
        this.clientCert = directory.resolve("client.pem");
        this.clientKey = directory.resolve("client.key");
    }

    /** Makes a CA named {@code caName} in {@code directory} and a server and client certificate signed by it. */
    public static TestCertificates create(Path directory, String caName) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        TestCertificates certificates = new TestCertificates(directory);
        certificates.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=" + caName);
        certificates.signed("server", "localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        certificates.signed("client", "pyromesh test client", "extendedKeyUsage=clientAuth");
        return certificates;
    }

    /** Writes {@code key} encrypted with {@code password} (PKCS#8, a scheme the JDK reads) and returns its path. */
    public Path encryptedKey(Path key, String password) throws IOException, InterruptedException {
        Path encrypted = directory.resolve(key.getFileName() + ".encrypted");
        openssl("pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES", "-in", key.toString(), "-out", encrypted.toString(),
                "-passout", "pass:" + password);
        return encrypted;
    }

    private void signed(String name, String commonName, String extension) throws IOException, InterruptedException {
        Path extensions = directory.resolve(name + ".ext");
        Files.writeString(extensions, extension + "\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".pem", "-days", "2", "-extfile", extensions.toString());
    }

    private void openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Processes.run(command, directory);
    }
}
