package io.pyromesh.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyromesh.Pyro;
import io.pyromesh.errors.NamingError;
import io.pyromesh.internal.PythonRepr;
import io.pyromesh.naming.NameServer.Entry;
import io.pyromesh.naming.NameServer;
import io.pyromesh.values.Tuple;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pyromesh nsc}: Pyro's name server control tool, printing exactly {@code pyro5-nsc}'s formats,
 * or JSON with {@code --json}.
 */
@Command(name = "nsc", mixinStandardHelpOptions = true,
        description = {"Name server control: query and change the name server's registrations.",
                "Commands: ping, list [prefix], listmatching pattern, lookup name, register name uri, remove name,",
                "removematching pattern, yplookup_all tag..., yplookup_any tag..., setmeta name [tag...]."})
final class NscCommand implements Callable<Integer> {
    private static final List<String> COMMANDS = List.of("list", "lookup", "register", "remove", "removematching",
            "listmatching", "yplookup_all", "yplookup_any", "setmeta", "ping");

    @Option(names = {"-n", "--host"}, description = "hostname of the name server (default: locate it)")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "0",
            description = "port of the name server, or with no host, the discovery port")
    int port;

    @Option(names = {"-u", "--unixsocket"}, description = "unix domain socket name of the name server")
    String unixSocket;

    @Option(names = {"-v", "--verbose"}, description = "verbose output")
    boolean verbose;

    @Option(names = "--json", description = "print results as JSON, for scripts")
    boolean json;

    @Option(names = {"-y", "--yes"}, description = "removematching: don't ask for confirmation")
    boolean yes;

    @Parameters(index = "0", paramLabel = "COMMAND", description = "the command (see above)")
    String command;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "the command's arguments")
    List<String> args = new ArrayList<>();

    private NameServer nameServer;

    @Override
    public Integer call() throws IOException {
        if (!COMMANDS.contains(command)) {
            System.err.println("invalid command '" + command + "' (choose from " + String.join(", ", COMMANDS) + ")");
            return 2;
        }
        String usage = usageProblem();
        if (usage != null) {
            System.err.println(usage);
            return 1;
        }
        if (verbose) {
            System.out.println("Locating name server...");
        }
        String where = unixSocket != null ? "./u:" + unixSocket : host;
        try {
            nameServer = Pyro.locateNS(where, port);
        } catch (NamingError notFound) {
            // Pyro prints this line; unlike Pyro (status 0) we fail, so that scripts notice
            System.err.println("Error: " + notFound.getMessage());
            return 1;
        }
        try (NameServer ns = nameServer) {
            if (verbose) {
                System.out.println("Name server found: " + ns.pyroProxy().uri());
            }
            int status = run();
            if (verbose) {
                System.out.println("Done.");
            }
            return status;
        }
    }

    /** Pyro's messages for missing arguments. */
    private String usageProblem() {
        return switch (command) {
            case "lookup", "remove" -> args.size() != 1 ? "requires one argument: name" : null;
            case "register" -> args.size() != 2 ? "requires two arguments: name uri" : null;
            case "listmatching", "removematching" -> args.size() != 1 ? "requires one argument: pattern" : null;
            case "setmeta" -> args.isEmpty() ? "requires arguments: uri and zero or more meta tags" : null;
            case "yplookup_all", "yplookup_any" -> args.isEmpty() ? "requires at least one metadata tag argument" : null;
            case "list" -> args.size() > 1 ? "requires at most one argument: prefix" : null;
            default -> null;
        };
    }

    private int run() throws IOException {
        switch (command) {
            case "ping" -> {
                nameServer.ping();
                say("Name server ping ok.", Map.of("ping", "ok"));
            }
            case "list" -> {
                String prefix = args.isEmpty() ? null : args.get(0);
                printList(prefix == null ? "" : " - prefix '" + prefix + "'", nameServer.entries(prefix, null));
            }
            case "listmatching" -> printList(" - regex '" + args.get(0) + "'", nameServer.entries(null, args.get(0)));
            case "yplookup_all" -> printList("  - searched by metadata", nameServer.entriesWithMetadata(new TreeSet<>(args), null));
            case "yplookup_any" -> printList("  - searched by metadata", nameServer.entriesWithMetadata(null, new TreeSet<>(args)));
            case "lookup" -> lookup(args.get(0));
            case "register" -> {
                nameServer.register(args.get(0), args.get(1), true);
                say("Registered " + args.get(0), Map.of("registered", args.get(0)));
            }
            case "remove" -> {
                int removed = nameServer.remove(args.get(0));
                say(removed == 0 ? "Nothing removed" : "Removed " + args.get(0), Map.of("removed", removed));
            }
            case "removematching" -> {
                if (!yes && !confirmed()) {
                    return 1;
                }
                int removed = nameServer.remove(null, null, args.get(0));
                say(removed + " items removed.", Map.of("removed", removed));
            }
            case "setmeta" -> {
                List<String> tags = args.subList(1, args.size());
                nameServer.set_metadata(args.get(0), new TreeSet<>(tags));
                say(tags.isEmpty() ? "Metadata cleared" : "Metadata updated", Map.of("metadata", tags));
            }
            default -> throw new IllegalStateException("unhandled command " + command);
        }
        return 0;
    }

    private void lookup(String name) {
        Tuple found = nameServer.lookup(name, true);
        Set<?> metadata = (Set<?>) found.get(1);
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("name", name);
            result.put("uri", found.get(0).toString());
            result.put("metadata", new TreeSet<>(stringsOf(metadata)));
            printJson(result);
            return;
        }
        System.out.println(found.get(0));
        if (!metadata.isEmpty()) {
            System.out.println("metadata: " + PythonRepr.of(metadata));
        }
    }

    /** Pyro's list format: a title line, "name --> uri" per entry with its metadata, a closing line. */
    private void printList(String title, List<Entry> entries) {
        if (json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Entry entry : entries) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("name", entry.name());
                item.put("uri", entry.uri().toString());
                item.put("metadata", entry.metadata());
                list.add(item);
            }
            printJson(list);
            return;
        }
        System.out.println("--------START LIST" + (title.isEmpty() ? " " : title));
        for (Entry entry : entries) {
            System.out.println(entry.name() + " --> " + entry.uri());
            if (!entry.metadata().isEmpty()) {
                System.out.println("    metadata: " + PythonRepr.of(entry.metadata()));
            }
        }
        System.out.println("--------END LIST" + (title.isEmpty() ? " " : title));
    }

    private boolean confirmed() throws IOException {
        System.out.print("Potentially removing lots of items from the Name server. Are you sure (y/n)?");
        System.out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return answer != null && answer.trim().equalsIgnoreCase("y");
    }

    private void say(String text, Map<String, Object> asJson) {
        if (json) {
            printJson(asJson);
        } else {
            System.out.println(text);
        }
    }

    private static List<String> stringsOf(Collection<?> values) {
        return values.stream().map(String::valueOf).toList();
    }

    private static void printJson(Object value) {
        try {
            System.out.println(new ObjectMapper().writeValueAsString(value));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
