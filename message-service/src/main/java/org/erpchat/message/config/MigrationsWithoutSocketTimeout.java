package org.erpchat.message.config;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Flyway's migrations run on the service's pool without its socket timeout. The pool gives up a statement whose
 * answer has not come within {@code socketTimeout} (application.yml), so that a connection to a vanished host cannot
 * hang the relay or a lane for ever; a migration, though, may legitimately run for minutes (an index built on a large
 * table), and cutting it would stop the service from starting. The pool restores its timeout when the connection is
 * returned.
 */
class MigrationsWithoutSocketTimeout implements FlywayConfigurationCustomizer {

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.dataSource(new UnboundedWaits(configuration.getDataSource()));
    }

    private static final class UnboundedWaits extends DelegatingDataSource {

        UnboundedWaits(DataSource pool) {
            super(pool);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return withoutTimeout(super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return withoutTimeout(super.getConnection(username, password));
        }

        private static Connection withoutTimeout(Connection connection) throws SQLException {
            try {
                connection.setNetworkTimeout(Runnable::run, 0);
                return connection;
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
        }
    }
}
