package io.pyromesh.config;

/**
 * Bad configuration: an unknown or inapplicable {@code PYRO_*} variable, an unknown item name, or a value
 * that does not parse or is out of range. The message names the variable (or item) and the value, so an
 * operator can fix the environment without reading code.
 */
public class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    static ConfigException invalidValue(String name, String problem) {
        return new ConfigException("invalid value for " + name + ": " + problem);
    }
}
