package io.pyromesh.nameserver.consul;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceNamesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "example.warehouse  | pyro-example--warehouse",
            "Pyro.NameServer    | pyro--50-yro---4e-ame-53-erver",
            "svc-1_a            | pyro-svc-2d-1-5f-a",
            "caf\u00e9.\uD83D\uDE00 | pyro-caf-e9----1f600-",
            "''                 | pyro-"})
    void namesMapToLowerCaseDnsFriendlyServiceNames(String name, String service) {
        assertThat(ServiceNames.encode(name)).isEqualTo(service).matches("[a-z0-9-]+");
        assertThat(ServiceNames.decode(service)).contains(name);
    }

    @Test
    void namesThatDifferOnlyInCaseStayApartInConsulsCaseInsensitiveCatalog() {
        List<String> services = List.of("alpha", "Alpha", "ALPHA").stream().map(ServiceNames::encode).toList();

        assertThat(services.stream().map(String::toLowerCase).distinct()).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", ".", "..", "-", "--", "a.b.c", "\uFFFF", "\uDBFF\uDFFF", "\uD800 lone surrogate",
            "\u0000", "tab\tand space", "100%"})
    void everyNameComesBackExactly(String name) {
        assertThat(ServiceNames.decode(ServiceNames.encode(name))).contains(name);
    }

    @Test
    void longNamesComeBackExactly() {
        String name = "Long.Name\uD83D\uDE00".repeat(1000);

        assertThat(ServiceNames.decode(ServiceNames.encode(name))).contains(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"consul", "pyromesh-ns", "pyro-A", "pyro-a-", "pyro--41", "pyro--041-", "pyro--61-",
            "pyro--2e-", "pyro--xyz-", "pyro--110000-", "pyro-a_b"})
    void servicesThatEncodeWouldNotMakeAreNotPyros(String service) {
        assertThat(ServiceNames.decode(service)).isEmpty();
    }
}
