package org.kmsconnector.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.camel.builder.RouteBuilder;
import org.kmsconnector.config.DatabaseUrl;
import org.kmsconnector.db.OperationKind;
import org.kmsconnector.db.OperationTable;
import org.kmsconnector.db.PgNotifyScheduler;

/**
 * The routes of the kinds of operation a service works on, instantiated from the YAML route
 * templates (routes/shared/, routes/&lt;service&gt;/) once per kind, with ids naming the service,
 * the kind and the step: {@code kms-worker-public-decryption-claim}. Bound as a bean, so Camel Main
 * and Camel JBang both collect it after the templates are loaded.
 */
public final class OperationRoutes extends RouteBuilder {
    private record Instance(String template, String routeId, Map<String, String> parameters) {}

    private final String service;
    private final List<Instance> instances = new ArrayList<>();

    public OperationRoutes(String service) {
        this.service = service;
    }

    /**
     * The kind's claim route ({@code <service>-<kind>-claim}): the claim run on NOTIFY of the
     * table's channel (or every {@code fallbackPoll}), each row sent to the kind's work route.
     *
     * @param registry where the claim's wake-up bean is bound (Main::bind)
     * @return the direct endpoint the work route must consume
     */
    public String claim(BiConsumer<String, Object> registry, OperationKind kind, OperationTable table, String claimSql,
            DatabaseUrl database, Duration fallbackPoll) {
        String wakeUp = beanName(kind, "WakeUp");
        registry.accept(wakeUp, new PgNotifyScheduler(database, List.of(table.channel()), fallbackPoll));
        String work = "direct:" + routeId(kind, "work");
        add("claim-and-dispatch", kind, "claim", Map.of("claim", claimSql, "wakeUp", wakeUp, "work", work));
        return work;
    }

    /** One more route of the kind from a template: {@code <service>-<kind>-<step>}. */
    public void add(String template, OperationKind kind, String step, Map<String, String> parameters) {
        instances.add(new Instance(template, routeId(kind, step), new LinkedHashMap<>(parameters)));
    }

    /** A bean name for the kind in this service, e.g. kmsWorkerPublicDecryptionProcessor. */
    public String beanName(OperationKind kind, String suffix) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char c : (service + "-" + kind.id()).toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb + suffix;
    }

    private String routeId(OperationKind kind, String step) {
        return service + "-" + kind.id() + "-" + step;
    }

    @Override
    public void configure() {
        for (Instance instance : instances) {
            var route = templatedRoute(instance.template()).routeId(instance.routeId());
            instance.parameters().forEach(route::parameter);
        }
    }
}
