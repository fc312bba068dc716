package io.pyromesh.values;

/**
 * A complex number {@code real + imag·j}: Python's {@code complex}, which Java lacks. Equality follows
 * records of doubles: {@code NaN} parts are equal to each other and {@code 0.0} differs from
 * {@code -0.0}.
 */
public record Complex(double real, double imag) {}
