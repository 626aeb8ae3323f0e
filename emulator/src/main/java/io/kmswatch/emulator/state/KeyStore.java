package io.kmswatch.emulator.state;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where keys, aliases and grants live. Reads are lock-free snapshots of immutable values. Every change that a
 * handler acknowledges goes through a mutator method, and check-then-act sequences run inside
 * {@link #atomically}; a durable store has the change on disk before the mutator returns.
 */
public interface KeyStore extends AutoCloseable {
    Optional<KmsKey> key(String keyArn);

    /** Keys of one account in one region, in creation order. */
    List<KmsKey> keys(String accountId, String region);

    List<KmsKey> allKeys();

    void putKey(KmsKey key);

    /** Removes the key and its aliases and grants. */
    void deleteKey(String keyArn);

    Optional<Alias> alias(String accountId, String region, String aliasName);

    List<Alias> aliases(String accountId, String region);

    void putAlias(Alias alias);

    void deleteAlias(String accountId, String region, String aliasName);

    List<Grant> grants(String keyArn);

    List<Grant> allGrants();

    void putGrant(Grant grant);

    void deleteGrant(String keyArn, String grantId);

    /** Runs {@code action} while holding the store's write lock, so a check and its change are atomic. */
    <T> T atomically(Supplier<T> action);

    @Override
    void close();
}
