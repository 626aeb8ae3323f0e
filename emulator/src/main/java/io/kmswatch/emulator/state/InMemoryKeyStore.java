package io.kmswatch.emulator.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The in-memory {@link KeyStore}: concurrent maps of immutable values, one lock for writers. Used alone when the
 * emulator runs without a data directory, and as the state behind {@link JournaledKeyStore}.
 */
public class InMemoryKeyStore implements KeyStore {
    private final Map<String, KmsKey> keys = new ConcurrentHashMap<>();
    private final Map<String, Alias> aliases = new ConcurrentHashMap<>();
    /** keyArn → grantId → grant. */
    private final Map<String, Map<String, Grant>> grants = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();

    @Override
    public Optional<KmsKey> key(String keyArn) {
        return keyArn == null ? Optional.empty() : Optional.ofNullable(keys.get(keyArn));
    }

    @Override
    public List<KmsKey> keys(String accountId, String region) {
        List<KmsKey> out = new ArrayList<>();
        for (KmsKey k : keys.values()) {
            if (k.accountId().equals(accountId) && k.region().equals(region)) {
                out.add(k);
            }
        }
        out.sort(Comparator.comparing(KmsKey::creationDate).thenComparing(KmsKey::keyId));
        return out;
    }

    @Override
    public List<KmsKey> allKeys() {
        return new ArrayList<>(keys.values());
    }

    @Override
    public void putKey(KmsKey key) {
        atomically(() -> {
            keys.put(key.arn(), key);
            return null;
        });
    }

    @Override
    public void deleteKey(String keyArn) {
        atomically(() -> {
            KmsKey k = keys.remove(keyArn);
            grants.remove(keyArn);
            if (k != null) {
                aliases.values().removeIf(a -> a.accountId().equals(k.accountId()) && a.region().equals(k.region())
                        && a.targetKeyId().equals(k.keyId()));
            }
            return null;
        });
    }

    @Override
    public Optional<Alias> alias(String accountId, String region, String aliasName) {
        return Optional.ofNullable(aliases.get(Alias.storeKey(accountId, region, aliasName)));
    }

    @Override
    public List<Alias> aliases(String accountId, String region) {
        List<Alias> out = new ArrayList<>();
        for (Alias a : aliases.values()) {
            if (a.accountId().equals(accountId) && a.region().equals(region)) {
                out.add(a);
            }
        }
        out.sort(Comparator.comparing(Alias::aliasName));
        return out;
    }

    @Override
    public void putAlias(Alias alias) {
        atomically(() -> aliases.put(alias.storeKey(), alias));
    }

    @Override
    public void deleteAlias(String accountId, String region, String aliasName) {
        atomically(() -> aliases.remove(Alias.storeKey(accountId, region, aliasName)));
    }

    @Override
    public List<Grant> grants(String keyArn) {
        Map<String, Grant> g = grants.get(keyArn);
        if (g == null) {
            return List.of();
        }
        List<Grant> out = new ArrayList<>(g.values());
        out.sort(Comparator.comparing(Grant::creationDate).thenComparing(Grant::grantId));
        return out;
    }

    @Override
    public List<Grant> allGrants() {
        List<Grant> out = new ArrayList<>();
        grants.values().forEach(m -> out.addAll(m.values()));
        out.sort(Comparator.comparing(Grant::creationDate).thenComparing(Grant::grantId));
        return out;
    }

    @Override
    public void putGrant(Grant grant) {
        atomically(() -> grants.computeIfAbsent(grant.keyArn(), k -> new ConcurrentHashMap<>())
                .put(grant.grantId(), grant));
    }

    @Override
    public void deleteGrant(String keyArn, String grantId) {
        atomically(() -> {
            Map<String, Grant> g = grants.get(keyArn);
            return g == null ? null : g.remove(grantId);
        });
    }

    @Override
    public <T> T atomically(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
    }
}
