package io.kmswatch.emulator.api;

/**
 * The empty output of operations that return nothing (CreateAlias, DisableKey, …): {@code {}} on the wire.
 */
public record EmptyResponse() {
}
