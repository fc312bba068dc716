package io.pyromesh.config;

/** Where an item's value came from; later constants override earlier ones. */
enum Source {
    DEFAULT("default"),
    ENVIRONMENT("environment"),
    SYSTEM_PROPERTY("system property"),
    CODE("code");

    final String label;

    Source(String label) {
        this.label = label;
    }

    /** The item's name as this source spells it, to blame in error messages. */
    String nameOf(Item item) {
        return this == ENVIRONMENT || this == SYSTEM_PROPERTY ? PyroConfig.PREFIX + item.name() : item.name();
    }
}
