package io.pyromesh.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import io.grpc.Channel;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What grpcurl does with server reflection, done in Java: list the services, and rebuild a service's
 * descriptors (with their imports) from the file descriptors the server sends.
 */
final class Reflection {
    private final Channel channel;

    Reflection(Channel channel) {
        this.channel = channel;
    }

    List<String> services() throws Exception {
        ServerReflectionResponse response = ask(ServerReflectionRequest.newBuilder().setListServices("*").build());
        return response.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList();
    }

    /** The service's descriptor, built from what the server says (as grpcurl's {@code describe}). */
    Descriptors.ServiceDescriptor service(String name) throws Exception {
        ServerReflectionResponse response = ask(ServerReflectionRequest.newBuilder().setFileContainingSymbol(name).build());
        Map<String, FileDescriptorProto> files = new HashMap<>();
        for (ByteString file : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
            FileDescriptorProto proto = FileDescriptorProto.parseFrom(file);
            files.put(proto.getName(), proto);
        }
        Map<String, Descriptors.FileDescriptor> built = new HashMap<>();
        for (FileDescriptorProto proto : files.values()) {
            Descriptors.FileDescriptor file = build(proto.getName(), files, built);
            Descriptors.ServiceDescriptor service = file.findServiceByName(name.substring(name.lastIndexOf('.') + 1));
            if (service != null && service.getFullName().equals(name)) {
                return service;
            }
        }
        throw new AssertionError("the server did not describe " + name);
    }

    private static Descriptors.FileDescriptor build(String name, Map<String, FileDescriptorProto> files,
            Map<String, Descriptors.FileDescriptor> built) throws Descriptors.DescriptorValidationException {
        Descriptors.FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = files.get(name);
        List<Descriptors.FileDescriptor> dependencies = new ArrayList<>();
        for (String dependency : proto.getDependencyList()) {
            dependencies.add(build(dependency, files, built));
        }
        Descriptors.FileDescriptor file = Descriptors.FileDescriptor.buildFrom(proto, dependencies.toArray(new Descriptors.FileDescriptor[0]));
        built.put(name, file);
        return file;
    }

    private ServerReflectionResponse ask(ServerReflectionRequest request) throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel).serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse response) {
                answer.complete(response);
            }

            @Override
            public void onError(Throwable failure) {
                answer.completeExceptionally(failure);
            }

            @Override
            public void onCompleted() {}
        });
        requests.onNext(request);
        requests.onCompleted();
        return answer.get(10, TimeUnit.SECONDS);
    }
}
