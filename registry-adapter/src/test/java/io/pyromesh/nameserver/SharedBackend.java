package io.pyromesh.nameserver;

import io.pyromesh.nameserver.store.MemoryStore;
import io.pyromesh.nameserver.store.Registration;
import io.pyromesh.nameserver.store.Store;
import io.pyromesh.nameserver.store.StoreException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One set of registrations that several name servers write, as a Consul backend is: each name server
 * gets its own {@link #view()}, and what one writes is an external change for the others. Like a remote
 * backend it can become unreachable ({@link #reachable(boolean)}): views then say they are not available
 * and refuse every operation.
 */
final class SharedBackend {
    private final MemoryStore data = new MemoryStore();
    private final List<View> views = new CopyOnWriteArrayList<>();
    private volatile boolean reachable = true;

    Store view() {
        View view = new View();
        views.add(view);
        return view;
    }

    void reachable(boolean reachable) {
        this.reachable = reachable;
    }

    private final class View implements Store {
        private volatile Consumer<ExternalChange> listener = change -> {};

        private <T> T read(Supplier<T> operation) {
            if (!reachable) {
                throw new StoreException("the shared backend is unreachable", null);
            }
            synchronized (data) {
                return operation.get();
            }
        }

        /** A write, then the news of it for every other view. */
        private <T> T write(Collection<String> names, Supplier<T> operation) {
            T result = read(operation);
            for (String name : names) {
                Registration now = read(() -> data.get(name).orElse(null));
                views.stream().filter(view -> view != this).forEach(view -> view.listener.accept(new ExternalChange(name, now)));
            }
            return result;
        }

        @Override
        public void put(Registration registration) {
            write(List.of(registration.name()), () -> {
                data.put(registration);
                return null;
            });
        }

        @Override
        public boolean putIfAbsent(Registration registration) {
            return write(List.of(registration.name()), () -> data.putIfAbsent(registration));
        }

        @Override
        public Optional<Registration> get(String name) {
            return read(() -> data.get(name));
        }

        @Override
        public boolean remove(String name) {
            return write(List.of(name), () -> data.remove(name));
        }

        @Override
        public int removeAll(Collection<String> names) {
            return write(names, () -> data.removeAll(names));
        }

        @Override
        public List<Registration> withPrefix(String prefix) {
            return read(() -> data.withPrefix(prefix));
        }

        @Override
        public List<Registration> withAllMetadata(Set<String> tags) {
            return read(() -> data.withAllMetadata(tags));
        }

        @Override
        public List<Registration> withAnyMetadata(Set<String> tags) {
            return read(() -> data.withAnyMetadata(tags));
        }

        @Override
        public boolean setMetadata(String name, Set<String> metadata) {
            return write(List.of(name), () -> data.setMetadata(name, metadata));
        }

        @Override
        public boolean setExpires(String name, Instant expires) {
            return write(List.of(name), () -> data.setExpires(name, expires));
        }

        @Override
        public List<Registration> expiredAt(Instant now) {
            return read(() -> data.expiredAt(now));
        }

        @Override
        public int count() {
            return read(data::count);
        }

        @Override
        public void onExternalChange(Consumer<ExternalChange> listener) {
            this.listener = listener;
        }

        @Override
        public boolean available() {
            return reachable;
        }

        @Override
        public void close() {
            views.remove(this);
        }
    }
}
