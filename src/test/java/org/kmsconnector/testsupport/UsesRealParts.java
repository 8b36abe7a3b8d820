package org.kmsconnector.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that starts or talks to real parts (PostgreSQL, anvil, S3Mock, Chromium):
 * the fast tier ({@code mvn -Pfast test}) leaves it out. An untagged test that reaches for them
 * there fails at once (see {@link TestInfra}), so a missing tag cannot hide.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("real-parts")
public @interface UsesRealParts {}
