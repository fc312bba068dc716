"""A Pyromesh client with no Java in it: Python's grpcio and code generated from proto/ by protoc.

Usage: invoke_client.py GENERATED_DIR HOST:PORT
Prints one JSON line per check, for the Java test that runs it to compare.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from pyromesh.v1 import invoker_pb2, invoker_pb2_grpc, value_pb2  # noqa: E402


def text(s):
    return value_pb2.Value(str_value=s)


def plain(value):
    """A Value as plain Python data (the kinds this script needs)."""
    kind = value.WhichOneof("kind")
    if kind == "str_value":
        return value.str_value
    if kind == "int_value":
        return value.int_value
    if kind == "list_value":
        return [plain(v) for v in value.list_value.items]
    if kind == "null_value":
        return None
    return {"unhandled kind": kind}


channel = grpc.insecure_channel(sys.argv[2])
invoker = invoker_pb2_grpc.InvokerStub(channel)

metadata = invoker.GetMetadata(invoker_pb2.MetadataRequest(object="test.echoserver"), timeout=10)
print(json.dumps({"check": "metadata", "methods": sorted(metadata.methods), "streaming": list(metadata.streaming)}))

reply, call = invoker.Invoke.with_call(
    invoker_pb2.InvokeRequest(object="test.echoserver", method="echo", args=[text("hello from python")]),
    metadata=[("pyro-correlation-id", "2f6a4b43-4d9b-4f6e-9c39-d7d1c3a1b2c3")], timeout=10)
trailers = dict(call.trailing_metadata())
print(json.dumps({"check": "echo", "result": plain(reply.result), "correlation": trailers.get("pyro-correlation-id")}))

items = [plain(r.result) for r in invoker.InvokeStream(
    invoker_pb2.InvokeRequest(object="test.echoserver", method="generator"), timeout=10)]
print(json.dumps({"check": "stream", "items": items}))

reply = invoker.Invoke(invoker_pb2.InvokeRequest(object="test.echoserver", method="error"), timeout=10)
print(json.dumps({"check": "remote error", "type": reply.error.type, "message": reply.error.message,
                  "traceback_mentions_method": "EchoServer.error" in reply.error.traceback}))

try:
    invoker.Invoke(invoker_pb2.InvokeRequest(object="no.such.object", method="echo"), timeout=10)
    print(json.dumps({"check": "unknown object", "code": "OK"}))
except grpc.RpcError as failure:
    detail = invoker_pb2.ErrorDetail()
    detail.ParseFromString(dict(failure.trailing_metadata()).get("pyro-error-bin", b""))
    print(json.dumps({"check": "unknown object", "code": failure.code().name, "type": detail.type,
                      "message": failure.details()}))
