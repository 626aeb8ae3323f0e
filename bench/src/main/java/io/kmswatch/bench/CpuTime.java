package io.kmswatch.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time of the whole benchmark process (every thread: the embedded broker's, the producer's I/O thread,
 * the garbage collector), from {@code com.sun.management.OperatingSystemMXBean}.
 */
final class CpuTime {
    private CpuTime() {
    }

    /**
     * CPU nanoseconds this process has used so far.
     *
     * @throws BenchException when the JVM does not report process CPU time
     */
    static long processNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long n = os.getProcessCpuTime();
            if (n >= 0) {
                return n;
            }
        }
        throw new BenchException("this JVM does not report the process CPU time (com.sun.management.OperatingSystemMXBean)");
    }

    /**
     * The rate at which work costing {@code cpuNanosPerRecord} (the costs of its stages, added) fills
     * {@code cores} cores: records/s.
     */
    static double floorRecordsPerSec(int cores, double... cpuNanosPerRecord) {
        double sum = 0;
        for (double c : cpuNanosPerRecord) {
            if (!(c > 0)) {
                throw new IllegalArgumentException("a CPU cost per record must be > 0: " + c);
            }
            sum += c;
        }
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be >= 1: " + cores);
        }
        return cores * 1e9 / sum;
    }
}
