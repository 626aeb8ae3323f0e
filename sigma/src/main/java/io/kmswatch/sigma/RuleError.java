package io.kmswatch.sigma;

/** A reason a rule cannot run, raised while compiling; {@code near} is text to find its line by (or null). */
final class RuleError extends RuntimeException {
    final String near;

    RuleError(String reason, String near) {
        super(reason, null, false, false);
        this.near = near;
    }
}
