package io.pyromesh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.proto.v1.ObjectMetadata;
import org.junit.jupiter.api.Test;

class ExposureTest {
    public static class Base {
        public String inherited() {
            return "base";
        }

        @Expose
        public String exposedInBase() {
            return "base, exposed";
        }
    }

    @Expose
    public static class WholeClass extends Base {
        public String own() {
            return "own";
        }

        public int getCount() {
            return 1;
        }

        public void setCount(int count) {
            // a property with a setter
        }

        public boolean isReady() {
            return true;
        }

        public String getURL() {
            return "http://example";
        }

        public void _hidden() {
            // private by name: never exposed, even by a class-level @Expose
        }

        public String __dunder__() {
            return "public dunder";
        }

        public String __str__() {
            return "private dunder";
        }

        public static String utility() {
            return "static";
        }
    }

    public static class MethodsOnly {
        @Expose
        public String chosen() {
            return "chosen";
        }

        public String notChosen() {
            return "not chosen";
        }

        @Expose
        @Oneway
        public void fireAndForget() {
            // nothing to return
        }
    }

    @Expose
    public interface Contract {
        String promised();
    }

    public static class Implementation implements Contract {
        @Override
        public String promised() {
            return "kept";
        }

        public String extra() {
            return "not in the contract";
        }
    }

    public static class ExposesPrivate {
        @Expose
        public void _oops() {
            // exposing this must fail
        }
    }

    public static class Nothing {
        public void unexposed() {
            // nothing here is exposed
        }
    }

    @Test
    void aClassLevelExposeCoversTheClassesOwnPublicMembers() {
        ObjectMetadata metadata = ExposedType.of(WholeClass.class).metadata;
        assertThat(metadata.getMethodsList()).containsExactly("__dunder__", "exposedInBase", "own", "utility");
        assertThat(metadata.getAttrsList()).containsExactly("URL", "count", "ready");
    }

    @Test
    void methodLevelExposeCoversOnlyThoseMethods() {
        ObjectMetadata metadata = ExposedType.of(MethodsOnly.class).metadata;
        assertThat(metadata.getMethodsList()).containsExactly("chosen", "fireAndForget");
        assertThat(metadata.getOnewayList()).containsExactly("fireAndForget");
    }

    @Test
    void anExposedInterfaceExposesItsImplementation() {
        ObjectMetadata metadata = ExposedType.of(Implementation.class).metadata;
        assertThat(metadata.getMethodsList()).containsExactly("promised");
    }

    @Test
    void exposingAPrivateNameIsRefused() {
        assertThatThrownBy(() -> ExposedType.of(ExposesPrivate.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exposing private names (starting with _) is not allowed");
    }

    @Test
    void aClassWithNothingExposedExposesNothing() {
        assertThat(ExposedType.of(Nothing.class).exposesNothing()).isTrue();
    }
}
