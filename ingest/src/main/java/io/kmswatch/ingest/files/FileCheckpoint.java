package io.kmswatch.ingest.files;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checkpoint of one directory: the files in it whose every record Kafka acknowledged, with the
 * size they had then (a file whose size changed is read again). Stored under the key
 * {@code files:<absolute directory>}.
 *
 * @param done file name → size in bytes; never null
 */
public record FileCheckpoint(Map<String, Long> done) {
    public FileCheckpoint {
        done = Collections.unmodifiableSortedMap(done == null ? new TreeMap<>() : new TreeMap<>(done));
    }
}
