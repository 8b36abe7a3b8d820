package org.kmsconnector.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The Kubernetes manifests under k8s/, parsed, with small helpers to walk them. */
final class Manifests {
    /** One YAML document of one file. */
    record Doc(Path file, Map<String, Object> body) {
        String kind() {
            return str(body, "kind");
        }

        String name() {
            return str(map(body, "metadata"), "name");
        }

        Map<String, Object> spec() {
            return map(body, "spec");
        }

        @Override
        public String toString() {
            return kind() + " " + name() + " (" + file + ")";
        }
    }

    private Manifests() {}

    static List<Doc> load(Path root) throws IOException {
        List<Doc> docs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                Load load = new Load(LoadSettings.builder().setLabel(f.toString()).build());
                for (Object o : load.loadAllFromString(Files.readString(f))) {
                    if (o != null) {
                        docs.add(new Doc(f, asMap(o, f + ": a document")));
                    }
                }
            }
        }
        return docs;
    }

    static Map<String, Object> map(Map<String, Object> m, String key) {
        return asMap(m.get(key), key);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o, String what) {
        if (!(o instanceof Map)) {
            throw new AssertionError(what + " is not a mapping: " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> m, String key) {
        Object o = m.get(key);
        if (!(o instanceof List)) {
            throw new AssertionError(key + " is not a list: " + o);
        }
        return (List<Object>) o;
    }

    static List<Map<String, Object>> maps(Map<String, Object> m, String key) {
        return list(m, key).stream().map(o -> asMap(o, key + "[]")).toList();
    }

    static String str(Map<String, Object> m, String key) {
        Object o = m.get(key);
        if (o == null) {
            throw new AssertionError("missing " + key + " in " + m.keySet());
        }
        return String.valueOf(o);
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> labels(Map<String, Object> metadataOwner) {
        Object labels = map(metadataOwner, "metadata").get("labels");
        return labels == null ? Map.of() : (Map<String, String>) labels;
    }
}
