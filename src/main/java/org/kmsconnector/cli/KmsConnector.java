package org.kmsconnector.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.kmsconnector.config.ConfigException;
import org.kmsconnector.config.ConfigLoader;
import org.kmsconnector.config.ConnectorConfig;
import org.kmsconnector.config.ServiceKind;
import org.kmsconnector.runtime.ServiceLauncher;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** kms-connector gw-listener|kms-worker|tx-sender start|validate, and db migrate. */
@Command(name = "kms-connector", mixinStandardHelpOptions = true, version = "kms-connector 0.15.0",
        description = "KMS Connector of the FHEVM protocol: Gateway events to the KMS Core and back.",
        subcommands = {KmsConnector.GwListener.class, KmsConnector.KmsWorker.class, KmsConnector.TxSender.class,
                DbCommand.class})
public final class KmsConnector {

    public static void main(String[] args) {
        System.exit(commandLine().execute(defaultArgs(args, System.getenv())));
    }

    /**
     * Without arguments (a container started by Camel K or a bare image), KMS_CONNECTOR_SERVICE
     * names the service to start, KMS_CONNECTOR_CONFIG its optional TOML file and
     * KMS_CONNECTOR_PROPERTIES its optional properties file.
     */
    static String[] defaultArgs(String[] args, java.util.Map<String, String> env) {
        String service = env.get("KMS_CONNECTOR_SERVICE");
        if (args.length > 0 || service == null || service.isBlank()) {
            return args;
        }
        java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of(service.trim(), "start"));
        for (String[] option : new String[][] {{"KMS_CONNECTOR_CONFIG", "--config"},
                {"KMS_CONNECTOR_PROPERTIES", "--properties"}}) {
            String value = env.get(option[0]);
            if (value != null && !value.isBlank()) {
                out.add(option[1]);
                out.add(value.trim());
            }
        }
        return out.toArray(String[]::new);
    }

    public static CommandLine commandLine() {
        return new CommandLine(new KmsConnector()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Command(name = "gw-listener", description = "Polls the Gateway and stores its events.",
            subcommands = {Start.class, Validate.class}, mixinStandardHelpOptions = true)
    static final class GwListener implements ServiceCommandParent {
        public ServiceKind kind() {
            return ServiceKind.GW_LISTENER;
        }
    }

    @Command(name = "kms-worker", description = "Forwards stored requests to the KMS Core and stores its answers.",
            subcommands = {Start.class, Validate.class}, mixinStandardHelpOptions = true)
    static final class KmsWorker implements ServiceCommandParent {
        public ServiceKind kind() {
            return ServiceKind.KMS_WORKER;
        }
    }

    @Command(name = "tx-sender", description = "Sends the stored answers to the Gateway as transactions.",
            subcommands = {Start.class, Validate.class}, mixinStandardHelpOptions = true)
    static final class TxSender implements ServiceCommandParent {
        public ServiceKind kind() {
            return ServiceKind.TX_SENDER;
        }
    }

    interface ServiceCommandParent {
        ServiceKind kind();
    }

    /** Read from the working directory when --properties is not given, as Camel Main does. */
    static final String DEFAULT_PROPERTIES = "application.properties";

    /** Loads the layered config for the parent service and reports problems one line each. */
    abstract static class ConfigCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        ServiceCommandParent parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--properties", paramLabel = "FILE", description = "Properties file of kms_connector.<option>"
                + " and camel.* keys, over the TOML file and under the env (default: ./application.properties if"
                + " present)")
        Path properties;

        Optional<ConnectorConfig> load(Path file) {
            Path props = properties;
            if (props == null && Files.isRegularFile(Path.of(DEFAULT_PROPERTIES))) {
                props = Path.of(DEFAULT_PROPERTIES);
            }
            try {
                return Optional.of(ConfigLoader.load(parent.kind(), Optional.ofNullable(file),
                        Optional.ofNullable(props), System.getenv()));
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("Invalid configuration for " + parent.kind().id() + ":");
                e.problems().forEach(p -> spec.commandLine().getErr().println("  " + p));
                spec.commandLine().getErr().flush();
                return Optional.empty();
            }
        }
    }

    @Command(name = "start", description = "Runs the service.", mixinStandardHelpOptions = true)
    static final class Start extends ConfigCommand {
        @Option(names = {"-c", "--config"}, description = "TOML config file (env KMS_CONNECTOR_* overrides it)")
        Path config;

        @Option(names = "--print-config", description = "Print the effective config (secrets masked) and exit")
        boolean printConfig;

        @Override
        public Integer call() throws Exception {
            Optional<ConnectorConfig> cfg = load(config);
            if (cfg.isEmpty()) {
                return 1;
            }
            if (printConfig) {
                spec.commandLine().getOut().print(cfg.get().printable());
                spec.commandLine().getOut().flush();
                return 0;
            }
            try {
                return ServiceLauncher.run(cfg.get());
            } catch (Exception e) {
                // one line for the operator; the stack trace only for whoever turns debug logging on
                spec.commandLine().getErr().println("Cannot start " + parent.kind().id() + ": "
                        + StartupFailure.describe(e));
                spec.commandLine().getErr().flush();
                LoggerFactory.getLogger(KmsConnector.class).debug("start failure of {}", parent.kind().id(), e);
                return 1;
            }
        }
    }

    @Command(name = "validate", description = "Loads and checks the config, then exits.", mixinStandardHelpOptions = true)
    static final class Validate extends ConfigCommand {
        @Option(names = {"-c", "--config"}, required = true, description = "TOML config file")
        Path config;

        @Override
        public Integer call() {
            if (load(config).isEmpty()) {
                return 1;
            }
            spec.commandLine().getOut().println("Configuration of " + parent.kind().id() + " is valid.");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
