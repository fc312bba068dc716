package io.pyromesh.cli;

import io.pyromesh.client.CloseableIterator;
import io.pyromesh.client.Proxy;
import io.pyromesh.client.ProxyReferences;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.values.JsonValues;
import io.pyromesh.values.ValueCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pyromesh call}: invoke any remote object from the shell, with JSON in and out. */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = {"Call METHOD of the object at URI and print the result as JSON.",
                "Each ARG is JSON (\"text\", 42, [1,2], {\"k\":1}, null, true); an ARG that is not valid JSON is taken as a string;",
                "JSON that cannot be sent (a number over 4300 digits, nesting over 30 levels) is an error.",
                "A streamed result prints one item per line. A remote exception prints its remote traceback and exits with status 1."})
final class CallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URI", description = "the object, e.g. PYRO:test.echoserver@localhost:9999 or PYRONAME:name")
    String uri;

    @Parameters(index = "1", paramLabel = "METHOD", description = "the method to call")
    String method;

    @Parameters(index = "2..*", paramLabel = "ARG", description = "arguments, as JSON")
    List<String> args = new ArrayList<>();

    @Option(names = "--oneway", description = "don't wait for the call to run (the daemon runs it in the background)")
    boolean oneway;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "give up after this many seconds (default: COMMTIMEOUT; 0 = wait for ever)")
    Double timeout;

    @Override
    public Integer call() {
        ValueCodec codec = ProxyReferences.codec(PyroConfig.current());
        Object[] arguments = args.stream().map(arg -> argument(codec, arg)).toArray();
        try (Proxy proxy = new Proxy(PyroURI.parse(uri))) {
            if (timeout != null) {
                if (timeout < 0 || timeout.isNaN() || timeout.isInfinite()) {
                    throw new ParameterException(spec.commandLine(), "--timeout must be a number of seconds >= 0, not " + timeout);
                }
                proxy.setTimeout(Duration.ofNanos((long) (timeout * 1e9)));
            }
            if (oneway) {
                proxy.callOneway(method, arguments);
                return 0;
            }
            Object result = proxy.call(method, arguments);
            if (result instanceof CloseableIterator<?> items) {
                try (items) {
                    items.forEachRemaining(item -> System.out.println(json(codec, item)));
                }
            } else {
                System.out.println(json(codec, result));
            }
        }
        return 0;
    }

    /** An argument: its JSON value, or the text itself if it is not JSON (JSON beyond the limits is an error). */
    private static Object argument(ValueCodec codec, String text) {
        return JsonValues.isJson(text) ? codec.decode(JsonValues.parse(text)) : text;
    }

    private static String json(ValueCodec codec, Object value) {
        return JsonValues.toJson(codec.encode(value));
    }
}
