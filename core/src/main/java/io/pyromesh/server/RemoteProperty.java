package io.pyromesh.server;

/** An exposed property: a getter, a setter, or both. */
record RemoteProperty(String name, RemoteMethod getter, RemoteMethod setter) {}
