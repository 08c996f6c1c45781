package io.ocular.store;

import io.ocular.model.OcularException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresLocationTest {

    @Test
    void aFullUrlNeedsNothingFromTheEnvironment() {
        PostgresLocation l = PostgresLocation.parse("jdbc:postgresql://nas.local:5433/photos?user=anna&sslmode=verify-full",
                Map.of("PGHOST", "other", "PGUSER", "bob"), "os");
        assertThat(l.url()).isEqualTo("jdbc:postgresql://nas.local:5433/photos");
        assertThat(l.user()).isEqualTo("anna");
        assertThat(l.password()).isNull(); // pgjdbc then reads ~/.pgpass or PGPASSFILE
        assertThat(l.properties()).containsEntry("sslmode", "verify-full").containsEntry("user", "anna")
                .doesNotContainKey("password");
    }

    @Test
    void missingPartsComeFromLibpqVariablesLikePsql() {
        PostgresLocation l = PostgresLocation.parse("jdbc:postgresql:", Map.of("PGHOST", "db.example", "PGPORT", "6000",
                "PGDATABASE", "library", "PGUSER", "anna", "PGPASSWORD", "s3cret", "PGSSLMODE", "require"), "os");
        assertThat(l.url()).isEqualTo("jdbc:postgresql://db.example:6000/library");
        assertThat(l.properties()).containsEntry("user", "anna").containsEntry("password", "s3cret")
                .containsEntry("sslmode", "require");
        PostgresLocation defaults = PostgresLocation.parse("jdbc:postgresql:photos", Map.of(), "carol");
        assertThat(defaults.url()).isEqualTo("jdbc:postgresql://localhost:5432/photos");
        assertThat(defaults.user()).isEqualTo("carol");
        assertThat(PostgresLocation.parse("postgresql://anna:pw@h/db", Map.of(), "x").password()).isEqualTo("pw");
    }

    @Test
    void thePasswordNeverShowsInDescriptionsOrMessages() {
        PostgresLocation l = PostgresLocation.parse("jdbc:postgresql://h/db?password=topsecret", Map.of(), "u");
        assertThat(l.describe()).doesNotContain("topsecret");
        assertThat(l.toString()).doesNotContain("topsecret");
        assertThat(l.url()).doesNotContain("topsecret");
        assertThatThrownBy(() -> PostgresLocation.parse("jdbc:postgresql://h:port/db?password=topsecret", Map.of(), "u"))
                .isInstanceOf(OcularException.class).hasMessageContaining("not a number")
                .hasMessageNotContaining("topsecret");
    }

    @Test
    void badAddressesAreRefusedClearly() {
        assertThatThrownBy(() -> PostgresLocation.parse("mysql://h/db", Map.of(), "u"))
                .isInstanceOf(OcularException.class).hasMessageContaining("jdbc:postgresql://HOST:PORT/DATABASE");
        assertThatThrownBy(() -> PostgresLocation.parse("jdbc:postgresql://h:99999/db", Map.of(), "u"))
                .isInstanceOf(OcularException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> PostgresLocation.parse("jdbc:postgresql:", Map.of("PGHOST", "/var/run/postgresql"), "u"))
                .isInstanceOf(OcularException.class).hasMessageContaining("TCP");
        assertThat(PostgresLocation.isPostgres("jdbc:postgresql://h/db")).isTrue();
        assertThat(PostgresLocation.isPostgres("/home/anna/catalog.db")).isFalse();
    }
}
