package org.kmsconnector.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A compiled mock contract (ABI + creation bytecode), committed beside this class by contracts/compile.js. */
public record ContractArtifact(String name, JsonNode abi, String bytecode) {

    public static ContractArtifact load(String name) {
        String resource = "contracts/" + name + ".json";
        try (InputStream in = ContractArtifact.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no compiled contract " + resource);
            }
            JsonNode json = new ObjectMapper().readTree(in);
            return new ContractArtifact(name, json.get("abi"), json.get("bytecode").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
