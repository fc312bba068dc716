package io.pyromesh.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Python code for the published contract, generated the way a Python user would: Debian's protoc for the
 * messages and grpc_tools for the service stubs, from the .proto files the proto jar carries.
 */
public final class PythonStubs {
    /** Debian's Python, which sees Debian's python3-grpcio (the python3 on PATH may not). */
    public static final String PYTHON = "/usr/bin/python3";

    private PythonStubs() {}

    /**
     * Generates {@code pyromesh/v1/*_pb2.py} (and {@code *_pb2_grpc.py} for the files with services) under
     * {@code work/gen}, which it returns.
     *
     * @param protos file names under {@code pyromesh/v1/}, e.g. {@code "value.proto"}
     * @param services those of {@code protos} that define services
     */
    public static Path generate(Path work, List<String> protos, List<String> services) throws IOException, InterruptedException {
        Path sources = work.resolve("proto");
        Path generated = work.resolve("gen");
        Files.createDirectories(generated);
        List<String> messages = new ArrayList<>(List.of("protoc", "-I" + sources, "--python_out=" + generated));
        for (String proto : protos) {
            copyResource("pyromesh/v1/" + proto, sources);
            messages.add("pyromesh/v1/" + proto);
        }
        Processes.run(messages, work);
        List<String> stubs = new ArrayList<>(List.of(PYTHON, "-m", "grpc_tools.protoc", "-I" + sources, "--grpc_python_out=" + generated));
        services.forEach(proto -> stubs.add("pyromesh/v1/" + proto));
        Processes.run(stubs, work);
        return generated;
    }

    /** Copies a class-path resource to {@code directory}/{@code name}, which it returns. */
    public static Path copyResource(String name, Path directory) throws IOException {
        Path target = directory.resolve(name);
        Files.createDirectories(target.getParent());
        try (InputStream in = PythonStubs.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError("no resource " + name + " on the class path");
            }
            Files.copy(in, target);
        }
        return target;
    }
}
