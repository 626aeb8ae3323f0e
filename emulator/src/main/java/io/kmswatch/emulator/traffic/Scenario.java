package io.kmswatch.emulator.traffic;

import java.time.Duration;
import java.util.List;

/**
 * One incident (or benign look-alike) the generator can inject. A scenario plans its calls inside a window of
 * emulator time; the generator runs them between the background traffic and writes one
 * {@link io.kmswatch.events.ScenarioLabel} when the window ends. Implementations are stateless: everything a
 * run needs is in the {@link ScenarioPlan}.
 */
interface Scenario {

    /** The scenario's name, used by {@code --scenarios} and as the label {@code type}. */
    String type();

    /** Detection ids that must fire (the DESIGN's Detections table); empty for a look-alike. */
    List<String> expectedDetections();

    /** How long the scenario takes when there is room; the generator may compress it. */
    Duration naturalLength();

    /** Plans the scenario's calls into {@code plan}. */
    void plan(ScenarioPlan plan);
}
