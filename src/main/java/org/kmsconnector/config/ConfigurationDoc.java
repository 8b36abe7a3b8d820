package org.kmsconnector.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes docs/configuration.md from {@link Options}, so the reference cannot drift from the code:
 * a test compares the committed file with {@link #render()}.
 * Run: {@code java -cp target/classes org.kmsconnector.config.ConfigurationDoc docs/configuration.md}
 */
public final class ConfigurationDoc {
    private static final long U64 = Long.MAX_VALUE;

    private ConfigurationDoc() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/configuration.md");
        Files.writeString(out, render());
        System.out.println("wrote " + out);
    }

    public static String render() {
        StringBuilder md = new StringBuilder();
        md.append("""
                # Configuration reference

                <!-- Generated from config/Options.java by org.kmsconnector.config.ConfigurationDoc; do not edit.
                     Regenerate: mvn -q compile && java -cp target/classes org.kmsconnector.config.ConfigurationDoc -->

                Each service reads built-in defaults, then its TOML file (`--config`), then the environment
                (`KMS_CONNECTOR_<OPTION>`, nested tables joined with `__`); the later layer wins. Names, env
                names and defaults are the original connector's; options marked *addition* are this
                implementation's. Secrets are never printed, logged or passed to Camel. `camel.*` keys in the
                TOML file, the environment or a `--properties` file configure Camel itself (see the README).

                """);
        for (ServiceKind kind : ServiceKind.values()) {
            md.append("## ").append(kind.id()).append("\n\n");
            md.append("| option | env | default | form | description |\n");
            md.append("|---|---|---|---|---|\n");
            for (OptionSpec o : Options.of(kind)) {
                md.append("| `").append(o.name()).append("` | `").append(o.envName()).append("` | ")
                        .append(defaultText(o, kind)).append(" | ").append(cell(form(o))).append(" | ")
                        .append(cell(description(o))).append(" |\n");
            }
            md.append('\n');
        }
        md.append("## Forms\n\n");
        for (OptionSpec.Form f : OptionSpec.Form.values()) {
            md.append("- `").append(f.name().toLowerCase()).append("`: ").append(f.expected()).append('\n');
        }
        return md.toString();
    }

    private static String defaultText(OptionSpec o, ServiceKind kind) {
        if (o.required()) {
            return "**required**";
        }
        if (o.name().equals("service_name")) {
            return "`" + kind.defaultServiceName() + "`";
        }
        return o.defaultValue() == null ? "unset" : "`" + o.defaultValue() + "`";
    }

    private static String form(OptionSpec o) {
        String name = o.form().name().toLowerCase();
        if (o.form() == OptionSpec.Form.INTEGER && (o.min() != 0 || o.max() != U64)) {
            return name + " in [" + o.min() + ", " + o.max() + "]";
        }
        return name;
    }

    private static String description(OptionSpec o) {
        List<String> notes = o.secret() ? List.of("secret") : List.of();
        return o.description() + notes.stream().map(n -> " (" + n + ")").collect(Collectors.joining());
    }

    /** Markdown table cells cannot hold a bare pipe. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
