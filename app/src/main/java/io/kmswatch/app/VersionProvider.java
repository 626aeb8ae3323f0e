package io.kmswatch.app;

import picocli.CommandLine;

/** Reads the version from the jar manifest (Implementation-Version), for {@code --version}. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Kmswatch.class.getPackage().getImplementationVersion();
        return new String[] {"kmswatch " + (v == null ? "development build" : v),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
}
