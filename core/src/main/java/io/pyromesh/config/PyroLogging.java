package io.pyromesh.config;

import java.io.IOException;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sets up java.util.logging from {@code LOGLEVEL} and {@code LOGFILE}, as Pyro does from
 * {@code PYRO_LOGLEVEL}/{@code PYRO_LOGFILE}. The launcher does this for every process; an application
 * embedding Pyromesh may call it, or configure logging its own way. Levels are Pyro's (Python's) names:
 * DEBUG, INFO, WARNING, ERROR, CRITICAL. {@code LOGFILE} is a file name, or {@code {stderr}}.
 * Without {@code LOGLEVEL} only warnings and errors are logged, to stderr.
 */
public final class PyroLogging {
    private static final Map<String, Level> LEVELS = Map.of(
            "DEBUG", Level.FINE, "INFO", Level.INFO, "WARNING", Level.WARNING, "ERROR", Level.SEVERE, "CRITICAL", Level.SEVERE);

    private PyroLogging() {}

    public static void configure(PyroConfig config) {
        Level level = config.logLevel() == null ? Level.WARNING : LEVELS.get(config.logLevel());
        Handler handler;
        String file = config.logFile();
        if (file == null || file.equals("{stderr}")) {
            handler = new ConsoleHandler();
        } else {
            try {
                handler = new FileHandler(file, true);
            } catch (IOException e) {
                throw new ConfigException("cannot open PYRO_LOGFILE " + file + ": " + e.getMessage());
            }
        }
        handler.setFormatter(new SimpleFormatter());
        handler.setLevel(level);
        Logger root = Logger.getLogger("");
        for (Handler old : root.getHandlers()) {
            root.removeHandler(old);
        }
        root.addHandler(handler);
        root.setLevel(level);
    }
}
