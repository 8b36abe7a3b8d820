package org.kmsconnector.devnet;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.kmsconnector.config.DatabaseUrl;

/** A throwaway database on an existing PostgreSQL server, for the demo and the tests. */
public final class DevDatabase implements AutoCloseable {
    private final DatabaseUrl server;
    private final String name;
    private final String url;

    private DevDatabase(DatabaseUrl server, String name, String url) {
        this.server = server;
        this.name = name;
        this.url = url;
    }

    /**
     * @param serverUrl libpq URI of a database on the server with the right to create databases,
     *     e.g. postgres://postgres@127.0.0.1:5432/postgres
     */
    public static DevDatabase create(String serverUrl, String name) throws SQLException {
        if (!name.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("database name must be [a-z0-9_]+: " + name);
        }
        DatabaseUrl server = DatabaseUrl.parse(serverUrl);
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        }
        URI u = URI.create(serverUrl);
        String url = u.getScheme() + "://" + (u.getRawUserInfo() == null ? "" : u.getRawUserInfo() + "@")
                + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + "/" + name;
        return new DevDatabase(server, name, url);
    }

    /** libpq URI of the new database (holds the password if the server URL did). */
    public String url() {
        return url;
    }

    public DatabaseUrl connection() {
        return DatabaseUrl.parse(url);
    }

    public Connection open() throws SQLException {
        DatabaseUrl db = connection();
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
