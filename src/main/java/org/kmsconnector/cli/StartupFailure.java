package org.kmsconnector.cli;

import java.util.LinkedHashSet;
import java.util.Set;

/** One readable line from an exception chain: each distinct message once, outermost first. */
final class StartupFailure {
    private StartupFailure() {}

    static String describe(Throwable e) {
        Set<String> parts = new LinkedHashSet<>();
        String said = "";
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
            String m = t.getMessage();
            String part = m == null || m.isBlank() ? t.getClass().getSimpleName() : firstLine(m);
            // wrappers often repeat their cause's message: say each thing once
            if (!said.contains(part)) {
                parts.add(part);
                said = said + " " + part;
            }
        }
        return String.join(": ", parts);
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
