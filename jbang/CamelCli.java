// The `camel` command of Camel JBang without the jbang launcher (which needs a network download
// here): run as a single-file source with camel-jbang-core and camel-kamelet-main on the class
// path, as scripts/camel.sh does.
public class CamelCli {
    public static void main(String... args) {
        org.apache.camel.dsl.jbang.core.commands.CamelJBangMain.run(args);
    }
}
