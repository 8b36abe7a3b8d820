package org.kmsconnector.devnet;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.kmsconnector.config.DatabaseUrl;

/** A throwaway database on an existing PostgreSQL server, for the demo and the tests. */
public final class DevDatabase implements AutoCloseable {
    private final DatabaseUrl server;
    private final String name;
    private final String url;
    private volatile boolean keepAfterClose;

    private DevDatabase(DatabaseUrl server, String name, String url) {
        this.server = server;
        this.name = name;
        this.url = url;
    }

    /**
     * A fresh database of that name; one left by an earlier run is dropped first, unless clients
     * are connected to it (another demo or benchmark still running): that is refused.
     *
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
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        throw new IllegalStateException("database " + name + " is in use by " + rs.getLong(1)
                                + " client(s), probably another local pipeline still running: stop it first");
                    }
                }
            }
            st.execute("DROP DATABASE IF EXISTS " + name);
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

    /** Leaves the database in place when closed, for a look at its rows afterwards. */
    public void keepAfterClose() {
        keepAfterClose = true;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() throws SQLException {
        if (keepAfterClose) {
            return;
        }
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
