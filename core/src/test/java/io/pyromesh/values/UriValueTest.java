package io.pyromesh.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.errors.SerializeError;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.uri.PyroURI;
import org.junit.jupiter.api.Test;

class UriValueTest {
    private final ValueCodec codec = ValueCodec.standard();

    @Test
    void urisTravelAsUriValuesInCanonicalForm() {
        PyroURI uri = PyroURI.parse("pyroname:shop@nshost");
        Value value = codec.encode(uri);
        assertThat(value.getUriValue()).isEqualTo("PYRONAME:shop@nshost:9090");
        assertThat(codec.decode(value)).isEqualTo(uri);
    }

    @Test
    void aUriParameterAcceptsAStrToo() {
        Value text = Value.newBuilder().setStrValue("PYRO:obj@localhost:9100").build();
        assertThat(codec.decode(text, PyroURI.class)).isEqualTo(PyroURI.direct("obj", "localhost", 9100));
    }

    @Test
    void aMalformedUriValueIsASerializeError() {
        Value bad = Value.newBuilder().setUriValue("PYRO:obj@host").build();
        assertThatThrownBy(() -> codec.decode(bad))
                .isInstanceOf(SerializeError.class)
                .hasMessageContaining("invalid port in uri, port=None");
    }
}
