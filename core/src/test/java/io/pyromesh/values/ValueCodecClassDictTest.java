package io.pyromesh.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.errors.SecurityError;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.errors.TypeError;
import io.pyromesh.proto.v1.Value;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Records and registered classes: Pyro's class-dicts ({@code object_value}). */
class ValueCodecClassDictTest {
    record Item(String name, int quantity, List<String> tags) {}

    record Order(long id, Map<String, Item> lines) {}

    record Price(BigDecimal amount) {
        Price {
            if (amount.signum() < 0) {
                throw new IllegalArgumentException("negative price");
            }
        }
    }

    static final class Money {
        final String currency;
        final long cents;

        Money(String currency, long cents) {
            this.currency = currency;
            this.cents = cents;
        }
    }

    private static final String ITEM = "io.pyromesh.values.ValueCodecClassDictTest$Item";

    private final ClassRegistry registry = new ClassRegistry();
    private final ValueCodec codec = new ValueCodec(registry, RemoteReferences.NONE);

    @Test
    void aRegisteredRecordComesBackAsItself() {
        registry.registerRecord(Item.class, "shop.Item");
        Item pen = new Item("pen", 2, List.of("office"));

        assertThat(codec.decode(codec.encode(List.of(pen)))).isEqualTo(List.of(pen));
    }

    @Test
    void anUnregisteredRecordIsDecodedWhenTheReceiverAsksForIt() {
        Value sent = codec.encode(new Order(7, Map.of("a", new Item("pen", 2, List.of()))));

        assertThat(codec.decode(sent, Order.class)).isEqualTo(new Order(7, Map.of("a", new Item("pen", 2, List.of()))));
    }

    @Test
    void anUnregisteredRecordIsRefusedWhenNobodyAskedForIt() {
        Value sent = codec.encode(new Item("pen", 2, List.of()));

        assertThatThrownBy(() -> codec.decode(sent))
                .isInstanceOf(SerializeError.class)
                .hasMessage("unsupported serialized class: " + ITEM);
    }

    @Test
    void aRecordTargetRefusesAClassDictOfAnotherName() {
        Value other = Wire.object("shop.Other", Map.of("name", Wire.str("pen")));

        assertThatThrownBy(() -> codec.decode(other, Item.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected Item (class " + ITEM + "), got object of class shop.Other");
    }

    @Test
    void aRecordTargetAcceptsADictWithStrKeysAsAJsonClientSendsIt() {
        Value dict = JsonValues.parse("{\"name\": \"pen\", \"quantity\": 2, \"tags\": [\"office\"]}");

        assertThat(codec.decode(dict, Item.class)).isEqualTo(new Item("pen", 2, List.of("office")));
        assertThatThrownBy(() -> codec.decode(Wire.map(Wire.integer(1), Wire.str("pen")), Item.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected Item, got dict with a int key");
    }

    @Test
    void aRecordsFieldsMustMatchItsComponents() {
        Value missing = Wire.object(ITEM, Map.of("name", Wire.str("pen"), "quantity", Wire.integer(2)));
        Value unknown = Wire.object(ITEM, Map.of("name", Wire.str("pen"), "colour", Wire.str("red")));
        Value mistyped = Wire.object(ITEM, Map.of("name", Wire.str("pen"), "quantity", Wire.str("two"),
                "tags", Wire.list()));

        assertThatThrownBy(() -> codec.decode(missing, Item.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("record Item is missing component 'tags'");
        assertThatThrownBy(() -> codec.decode(unknown, Item.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("record Item has no component 'colour'");
        assertThatThrownBy(() -> codec.decode(mistyped, Item.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected int, got str");
    }

    @Test
    void aRecordConstructorThatRejectsItsFieldsIsASerializeErrorWithTheCause() {
        Value negative = Wire.object(Price.class.getName(), Map.of("amount", Wire.decimal("-1")));

        assertThatThrownBy(() -> codec.decode(negative, Price.class))
                .isInstanceOf(SerializeError.class)
                .hasMessageContaining("negative price")
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registeredConvertersWorkBothWays() {
        registry.registerClassToDict(Money.class, "shop.Money", m -> Map.of("currency", m.currency, "cents", m.cents));
        registry.registerDictToClass("shop.Money", f -> new Money((String) f.get("currency"), (Long) f.get("cents")));

        Money back = (Money) codec.decode(codec.encode(new Money("EUR", 150)), Money.class);

        assertThat(back.currency).isEqualTo("EUR");
        assertThat(back.cents).isEqualTo(150);
    }

    @Test
    void aRegisteredConverterTakesPrecedenceForARecordTarget() {
        registry.registerDictToClass(ITEM, fields -> new Item("converted", 0, List.of()));

        Object decoded = codec.decode(codec.encode(new Item("pen", 2, List.of())), Item.class);

        assertThat(decoded).isEqualTo(new Item("converted", 0, List.of()));
    }

    @Test
    void aConverterResultOfTheWrongTypeIsATypeError() {
        registry.registerDictToClass(ITEM, fields -> "not an item");

        assertThatThrownBy(() -> codec.decode(codec.encode(new Item("pen", 2, List.of())), Item.class))
                .isInstanceOf(TypeError.class)
                .hasMessage("expected Item, got object of class " + ITEM);
    }

    @Test
    void aFailingConverterIsASerializeErrorNamingTheClass() {
        registry.registerDictToClass("shop.Money", fields -> {
            throw new IllegalStateException("bad currency");
        });

        assertThatThrownBy(() -> codec.decode(Wire.object("shop.Money", Map.of())))
                .isInstanceOf(SerializeError.class)
                .hasMessageContaining("shop.Money")
                .hasMessageContaining("bad currency");
    }

    @Test
    void aClassNameWithDoubleUnderscoresIsRefusedAsPyroDoes() {
        Value main = Wire.object("__main__.Item", Map.of());

        assertThatThrownBy(() -> codec.decode(main))
                .isInstanceOf(SecurityError.class)
                .hasMessage("refused to deserialize types with double underscores in their name: __main__.Item");
        assertThatThrownBy(() -> codec.decode(main, Item.class)).isInstanceOf(SecurityError.class);
        assertThatThrownBy(() -> codec.decode(Wire.object("os.system.__class__", Map.of()), Object.class))
                .isInstanceOf(SecurityError.class);
    }

    @Test
    void aClassNameIsNeverLoadedFromTheWire() {
        Value threadByName = Wire.object("java.lang.Thread", Map.of());

        assertThatThrownBy(() -> codec.decode(threadByName))
                .isInstanceOf(SerializeError.class)
                .hasMessage("unsupported serialized class: java.lang.Thread");
        assertThatThrownBy(() -> codec.decode(threadByName, Runnable.class))
                .isInstanceOf(SerializeError.class);
    }
}
