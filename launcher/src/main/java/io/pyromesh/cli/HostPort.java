package io.pyromesh.cli;

/** A {@code HOST[:PORT]} command-line value ({@code [v6]:PORT} for IPv6); port 0 when none is given. */
record HostPort(String host, int port) {
    static HostPort parse(String text) {
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw bad(text);
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else if (!rest.isEmpty()) {
                throw bad(text);
            }
        } else if (text.indexOf(':') != text.lastIndexOf(':')) {
            host = text; // a bare IPv6 address
        } else {
            int colon = text.indexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? null : text.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw bad(text);
        }
        if (port == null) {
            return new HostPort(host, 0);
        }
        try {
            int number = Integer.parseInt(port);
            if (number < 1 || number > 65535) {
                throw bad(text);
            }
            return new HostPort(host, number);
        } catch (NumberFormatException notANumber) {
            throw bad(text);
        }
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("not HOST[:PORT]: " + text);
    }
}
