package io.kmswatch.emulator.traffic;

import io.kmswatch.emulator.EmulatorException;
import io.kmswatch.events.Json;
import io.kmswatch.events.ScenarioLabel;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Writes labels as JSON Lines (one {@link ScenarioLabel} object per line, fields in record order, instants as
 * ISO-8601), flushed per line so a reader sees each label as soon as its scenario ends, and hands each label to
 * the application's sink (e.g. a Kafka producer for {@code kms-scenario-labels}).
 */
final class LabelWriter implements AutoCloseable {
    private final BufferedWriter out;
    private final Consumer<ScenarioLabel> sink;

    LabelWriter(Path file, Consumer<ScenarioLabel> sink) {
        this.sink = sink;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EmulatorException("cannot write labels to " + file + ": " + e.getMessage(), e);
        }
    }

    void write(ScenarioLabel label) {
        try {
            out.write(Json.MAPPER.writeValueAsString(label));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new EmulatorException("cannot write label " + label.scenarioId() + ": " + e.getMessage(), e);
        }
        sink.accept(label);
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new EmulatorException("cannot close the label file: " + e.getMessage(), e);
        }
    }
}
