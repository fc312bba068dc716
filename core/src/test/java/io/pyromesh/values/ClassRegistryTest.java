package io.pyromesh.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassRegistryTest {
    record Item(String name, int quantity) {}

    static class Animal {
        final String name;

        Animal(String name) {
            this.name = name;
        }
    }

    static class Dog extends Animal {
        Dog(String name) {
            super(name);
        }
    }

    private final ClassRegistry registry = new ClassRegistry();

    @Test
    void aRecordTravelsUnderItsBinaryNameUnlessRegisteredUnderAnother() {
        assertThat(registry.nameOf(Item.class)).isEqualTo("io.pyromesh.values.ClassRegistryTest$Item");

        registry.registerRecord(Item.class, "shop.Item");

        assertThat(registry.nameOf(Item.class)).isEqualTo("shop.Item");
        Map<String, ?> fields = registry.classToDict(Item.class).fields().apply(new Item("pen", 2));
        assertThat(List.copyOf(fields.keySet())).containsExactly("name", "quantity");
        assertThat(List.<Object>copyOf(fields.values())).containsExactly("pen", 2);
        assertThat(registry.dictToClass("shop.Item").recordType()).isEqualTo(Item.class);
    }

    @Test
    void aSubclassUsesTheHookOfItsNearestRegisteredSuperclass() {
        registry.registerClassToDict(Animal.class, "zoo.Animal", a -> Map.of("name", a.name));

        ClassRegistry.ClassToDict hook = registry.classToDict(Dog.class);

        assertThat(hook.className()).isEqualTo("zoo.Animal");
        assertThat(hook.fields().apply(new Dog("rex"))).isEqualTo(Map.of("name", "rex"));
        assertThat(registry.classToDict(String.class)).isNull();
    }

    @Test
    void aLaterRegistrationReplacesAnEarlierOne() {
        registry.registerDictToClass("zoo.Animal", fields -> "first");
        registry.registerDictToClass("zoo.Animal", fields -> "second");

        assertThat(registry.dictToClass("zoo.Animal").converter().apply(Map.of())).isEqualTo("second");
    }

    @Test
    void unregisteringRemovesOneDirectionOnly() {
        registry.registerRecord(Item.class, "shop.Item");

        registry.unregisterClassToDict(Item.class);

        assertThat(registry.classToDict(Item.class)).isNull();
        assertThat(registry.dictToClass("shop.Item")).isNotNull();

        registry.unregisterDictToClass("shop.Item");

        assertThat(registry.dictToClass("shop.Item")).isNull();
    }

    @Test
    void refusesNamesThatEveryReceiverWouldRefuse() {
        assertThatThrownBy(() -> registry.registerDictToClass("__main__.Item", fields -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("__main__.Item");
        assertThatThrownBy(() -> registry.registerRecord(Item.class, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.registerClassToDict(Animal.class, "a__b", a -> Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void refusesToRegisterAClassThatIsNotARecordAsOne() {
        Class notARecord = Animal.class;

        assertThatThrownBy(() -> registry.registerRecord(notARecord))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a record class");
    }

    @Test
    void theGlobalRegistryIsOne() {
        assertThat(ClassRegistry.global()).isSameAs(ClassRegistry.global()).isNotSameAs(registry);
    }
}
