package org.kmsconnector.cli;

import java.util.Map;
import picocli.CommandLine;

/** The launcher's argument handling, for tests outside the cli package (deployment manifests). */
public final class KmsConnectorLaunch {
    private KmsConnectorLaunch() {}

    /** True when the command line accepts {@code args} down to a runnable subcommand, without running it. */
    public static boolean parses(String... args) {
        try {
            CommandLine.ParseResult r = KmsConnector.commandLine().parseArgs(args);
            while (r.hasSubcommand()) {
                r = r.subcommand();
            }
            return r.commandSpec().userObject() instanceof java.util.concurrent.Callable<?>;
        } catch (CommandLine.ParameterException e) {
            return false;
        }
    }

    /** What main() runs when started without arguments in this environment. */
    public static String[] defaultArgs(Map<String, String> env) {
        return KmsConnector.defaultArgs(new String[0], env);
    }
}
