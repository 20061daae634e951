package io.dyno.registry;

import io.dyno.registry.internal.Binding;
import io.dyno.registry.internal.Loader;
import io.dyno.registry.internal.Names;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of late-bound services and settings, each held under a typed {@link Key}: an instance, or a
 * provider asked on every lookup.
 *
 * <pre>{@code
 * Registry reg = Registry.create("app");
 * Key<DataSource> DB = Key.of("db", DataSource.class);
 * reg.register(DB, dataSource);
 * Supplier<DataSource> late = reg.handle(DB);   // resolves afresh on each get()
 * reg.replace(DB, newDataSource);               // late.get() now returns newDataSource
 * }</pre>
 *
 * <p><b>Children.</b> {@link #child()} makes a registry that looks in itself first and then in its
 * parent, for per-tenant or per-virtual-host overrides. Changes to a child never touch its parent.
 *
 * <p><b>Loading.</b> {@link #load} reads {@code name = type:value} lines (see docs/registry.md),
 * builds every value, and only then makes them all visible at once; on any error it throws a {@link
 * RegistryLoadException} naming the file, line and key, and the registry is unchanged.
 *
 * <p><b>Thread safety.</b> Safe for use from any thread, and lock-free. The bindings are an
 * immutable map replaced by compare-and-set, so a reader sees either all or none of a change, and
 * the keys of one {@link #load} appear together. Listeners run on the thread that made the change,
 * after it is visible and under no lock; two concurrent changes may be reported in either order.
 */
public final class Registry {

  private static final Logger LOG = LoggerFactory.getLogger("io.dyno.registry");

  private final String name;
  private final @Nullable Registry parent;

  private static final VarHandle BINDINGS;

  static {
    try {
      BINDINGS = MethodHandles.lookup().findVarHandle(Registry.class, "bindings", Map.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Name to binding; immutable, replaced whole by compare-and-set (copy-on-write), so a reader sees
   * one complete map, before or after a change, never a mix.
   */
  @SuppressWarnings("FieldMayBeFinal") // written through BINDINGS
  private volatile Map<String, Binding> bindings = Map.of();

  private final Map<String, List<Listener<?>>> listeners = new ConcurrentHashMap<>();

  private Registry(String name, @Nullable Registry parent) {
    this.name = name;
    this.parent = parent;
  }

  /**
   * Returns a new, empty registry named {@code "registry"}.
   *
   * @return the registry
   */
  public static Registry create() {
    return create("registry");
  }

  /**
   * Returns a new, empty registry with this name.
   *
   * @param name the name, shown by {@link #toString()} and in exception messages; not blank
   * @return the registry
   * @throws IllegalArgumentException if the name is blank
   */
  public static Registry create(String name) {
    return new Registry(Names.require(name, "name"), null);
  }

  /**
   * Returns a new, empty registry that falls back to this one, named after it with {@code
   * "/child"}.
   *
   * @return the child registry
   */
  public Registry child() {
    return child(name + "/child");
  }

  /**
   * Returns a new, empty registry with this name that falls back to this one: a lookup it cannot
   * answer goes to this registry.
   *
   * @param childName the child's name; not blank
   * @return the child registry
   * @throws IllegalArgumentException if the name is blank
   */
  public Registry child(String childName) {
    return new Registry(Names.require(childName, "childName"), this);
  }

  /**
   * Returns the name of this registry.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the registry this one falls back to, if it is a child.
   *
   * @return the parent, or empty
   */
  public Optional<Registry> parent() {
    return Optional.ofNullable(parent);
  }

  /**
   * Registers an instance under a key.
   *
   * @param key the key
   * @param value the instance, of the key's type
   * @param <T> the type of the value
   * @throws IllegalArgumentException if the value is not an instance of the key's type
   * @throws IllegalArgumentException if this registry already holds something under the key's name
   *     (use {@link #replace})
   */
  public <T> void register(Key<T> key, T value) {
    Binding binding = instance(key, value);
    bind(key, binding);
  }

  /**
   * Registers a provider under a key, asked for a value on every {@link #get}.
   *
   * @param key the key
   * @param provider supplies the value; it must not return null
   * @param <T> the type of the value
   * @throws IllegalArgumentException if this registry already holds something under the key's name
   */
  public <T> void registerProvider(Key<T> key, Supplier<? extends T> provider) {
    Objects.requireNonNull(key, "key must not be null");
    Objects.requireNonNull(provider, "provider must not be null");
    bind(key, new Binding(key, null, provider, Set.of()));
  }

  private void bind(Key<?> key, Binding binding) {
    Binding old =
        update(
            key.name(),
            current -> {
              if (current != null) {
                throw new IllegalArgumentException(
                    describe() + " already holds " + current.key() + "; use replace to change it");
              }
              return binding;
            });
    fire(key.name(), old, binding);
  }

  /**
   * Registers an instance under a key, or replaces what this registry holds under its name, in one
   * atomic step. Tags stay. Handles return the new value from their next call.
   *
   * @param key the key
   * @param value the new instance, of the key's type
   * @param <T> the type of the value
   * @throws IllegalArgumentException if the value is not an instance of the key's type
   */
  public <T> void replace(Key<T> key, T value) {
    Binding fresh = instance(key, value);
    Binding old = update(key.name(), current -> withTagsOf(current, fresh));
    fire(key.name(), old, withTagsOf(old, fresh));
  }

  /**
   * Removes what this registry holds under a key; its parent is untouched.
   *
   * @param key the key
   * @return whether anything was removed
   * @throws IllegalArgumentException if the registry holds the name with an incompatible type
   */
  public boolean unregister(Key<?> key) {
    Objects.requireNonNull(key, "key must not be null");
    Binding old =
        update(
            key.name(),
            current -> {
              if (current != null) {
                checkType(current, key);
              }
              return null;
            });
    if (old == null) {
      return false;
    }
    fire(key.name(), old, null);
    return true;
  }

  /**
   * Returns the value under a key, from this registry or, failing that, its parents.
   *
   * @param key the key
   * @param <T> the type of the value
   * @return the value
   * @throws NotRegisteredException if nothing is registered under the key's name
   * @throws IllegalArgumentException if the value registered has a type other than the key's
   * @throws IllegalStateException if the key's provider returns null
   */
  public <T> T get(Key<T> key) {
    Objects.requireNonNull(key, "key must not be null");
    Binding binding = lookup(key.name());
    if (binding == null) {
      List<String> known = new ArrayList<>(names());
      Collections.sort(known);
      throw new NotRegisteredException(name, key, Names.closest(key.name(), known), known);
    }
    return value(binding, key);
  }

  /**
   * Returns the value under a key if there is one, from this registry or its parents.
   *
   * @param key the key
   * @param <T> the type of the value
   * @return the value, or empty
   * @throws IllegalArgumentException if the value registered has a type other than the key's
   */
  public <T> Optional<T> find(Key<T> key) {
    Objects.requireNonNull(key, "key must not be null");
    Binding binding = lookup(key.name());
    return binding == null ? Optional.empty() : Optional.of(value(binding, key));
  }

  /**
   * Returns a supplier that looks the key up afresh on every {@code get()}, so it sees {@link
   * #replace} and {@link #load}. It may be made before the key is registered; its {@code get()}
   * throws {@link NotRegisteredException} while nothing is.
   *
   * @param key the key
   * @param <T> the type of the value
   * @return the late-binding supplier
   */
  public <T> Supplier<T> handle(Key<T> key) {
    Objects.requireNonNull(key, "key must not be null");
    return new Handle<>(this, key);
  }

  /**
   * Adds a listener told after every change to what this registry holds under a key: register,
   * replace, unregister and load. Changes in a parent are not reported to a child's listeners.
   *
   * @param key the key
   * @param listener told the old and new values; its exceptions are logged and ignored
   * @param <T> the type of the value
   */
  public <T> void onChange(Key<T> key, ChangeListener<? super T> listener) {
    Objects.requireNonNull(key, "key must not be null");
    Objects.requireNonNull(listener, "listener must not be null");
    listeners
        .computeIfAbsent(key.name(), n -> new CopyOnWriteArrayList<>())
        .add(new Listener<T>(key, listener));
  }

  /**
   * Tags what this registry holds under a key, so that {@link #tagged} finds it.
   *
   * @param key the key, registered in this registry (not only in a parent)
   * @param tag the tag; not blank
   * @throws NotRegisteredException if this registry holds nothing under the key
   * @throws IllegalArgumentException if the tag is blank, or the key's type is incompatible
   */
  public void tag(Key<?> key, String tag) {
    Objects.requireNonNull(key, "key must not be null");
    Names.require(tag, "tag");
    update(
        key.name(),
        current -> {
          if (current == null) {
            List<String> known = new ArrayList<>(bindings.keySet());
            Collections.sort(known);
            throw new NotRegisteredException(name, key, Names.closest(key.name(), known), known);
          }
          checkType(current, key);
          Set<String> tags = new HashSet<>(current.tags());
          tags.add(tag);
          return current.withTags(tags);
        });
  }

  /**
   * Returns the keys tagged with a tag, in this registry and its parents (a child's binding hides
   * its parent's under the same name), sorted by name.
   *
   * @param tag the tag
   * @return the keys, possibly none
   */
  public Set<Key<?>> tagged(String tag) {
    Objects.requireNonNull(tag, "tag must not be null");
    Set<Key<?>> keys = new LinkedHashSet<>();
    for (Binding binding : visible().values()) {
      if (binding.tags().contains(tag)) {
        keys.add(binding.key());
      }
    }
    return Collections.unmodifiableSet(keys);
  }

  /**
   * Returns every key visible from this registry, its own and its parents', sorted by name.
   *
   * @return the keys
   */
  public Set<Key<?>> keys() {
    Set<Key<?>> keys = new LinkedHashSet<>();
    for (Binding binding : visible().values()) {
      keys.add(binding.key());
    }
    return Collections.unmodifiableSet(keys);
  }

  /**
   * Loads typed values from a UTF-8 file of {@code name = type:value} lines, registering or
   * replacing each name in this registry. The whole file is read and every value built first; then
   * they are made visible in one atomic step, and listeners are told.
   *
   * <p>Types: {@code string}, {@code int}, {@code long}, {@code double}, {@code boolean}, {@code
   * duration} (ISO-8601, {@code PT2S}), and {@code class} ({@code class:com.acme.Impl} through its
   * public no-arg constructor, or {@code class:java.time.Clock#systemUTC} through a public static
   * no-arg factory method). Blank lines and lines starting with {@code #} are skipped.
   *
   * @param file the file
   * @return the keys loaded, in the file's order
   * @throws IOException if the file cannot be read
   * @throws RegistryLoadException if a line cannot be loaded, naming the file, line and key; the
   *     registry is then unchanged
   */
  public Set<Key<?>> load(Path file) throws IOException {
    Objects.requireNonNull(file, "file must not be null");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Map<String, Binding> loaded;
    try {
      loaded = Loader.parse(lines, classLoader());
    } catch (Loader.LoadError e) {
      throw new RegistryLoadException(
          file, e.line(), e.key(), String.valueOf(e.getMessage()), e.getCause());
    }
    Map<String, Binding> before;
    Map<String, Binding> after;
    do {
      before = bindings;
      Map<String, Binding> copy = new HashMap<>(before);
      for (Binding binding : loaded.values()) {
        copy.put(binding.key().name(), withTagsOf(before.get(binding.key().name()), binding));
      }
      after = Map.copyOf(copy);
    } while (!compareAndSet(before, after));
    Set<Key<?>> keys = new LinkedHashSet<>();
    for (Binding binding : loaded.values()) {
      String n = binding.key().name();
      keys.add(binding.key());
      fire(n, before.get(n), after.get(n));
    }
    return Collections.unmodifiableSet(keys);
  }

  /**
   * Returns the name and how many keys this registry itself holds, as in {@code Registry[name=app,
   * keys=3]}.
   */
  @Override
  public String toString() {
    return "Registry[name=" + name + ", keys=" + bindings.size() + "]";
  }

  /** Names this registry in messages: {@code Registry 'app' (3 keys)}. */
  private String describe() {
    return "Registry '" + name + "' (" + bindings.size() + " keys)";
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : Registry.class.getClassLoader();
  }

  private static <T> Binding instance(Key<T> key, T value) {
    Objects.requireNonNull(key, "key must not be null");
    Objects.requireNonNull(value, "value must not be null");
    if (!key.type().isInstance(value)) {
      throw new IllegalArgumentException(
          "value for key "
              + key
              + " is a "
              + value.getClass().getName()
              + ", not a "
              + key.type().getName());
    }
    return new Binding(key, value, null, Set.of());
  }

  /** Returns the binding with the tags of the one it replaces, which stay across changes. */
  private static Binding withTagsOf(@Nullable Binding old, Binding fresh) {
    return old == null ? fresh : fresh.withTags(old.tags());
  }

  private void checkType(Binding binding, Key<?> key) {
    if (!key.type().isAssignableFrom(binding.key().type())) {
      throw new IllegalArgumentException(
          describe()
              + " holds '"
              + key.name()
              + "' as "
              + binding.key().type().getName()
              + ", not "
              + key.type().getName());
    }
  }

  private <T> T value(Binding binding, Key<T> key) {
    checkType(binding, key);
    Object value = binding.resolve();
    if (value == null) {
      throw new IllegalStateException(
          "the provider of " + key + " in " + describe() + " returned null");
    }
    return key.type().cast(value);
  }

  private @Nullable Binding lookup(String keyName) {
    for (Registry r = this; r != null; r = r.parent) {
      Binding binding = r.bindings.get(keyName);
      if (binding != null) {
        return binding;
      }
    }
    return null;
  }

  private Set<String> names() {
    Set<String> names = new HashSet<>();
    for (Registry r = this; r != null; r = r.parent) {
      names.addAll(r.bindings.keySet());
    }
    return names;
  }

  /** Name to binding as seen from here: parents first, overlaid by each child, sorted by name. */
  private Map<String, Binding> visible() {
    Map<String, Binding> all = parent == null ? new TreeMap<>() : parent.visible();
    all.putAll(bindings);
    return all;
  }

  /** A change to one binding; returns the new binding, or null to remove it. */
  private interface Update {
    @Nullable Binding apply(@Nullable Binding current);
  }

  /**
   * Applies a change to one name by copy-on-write and compare-and-set, retrying on contention. The
   * update may run more than once and must have no side effects; it may throw to refuse.
   */
  private @Nullable Binding update(String keyName, Update update) {
    while (true) {
      Map<String, Binding> current = bindings;
      Binding old = current.get(keyName);
      Binding next = update.apply(old);
      if (next == null && old == null) {
        return null;
      }
      Map<String, Binding> copy = new HashMap<>(current);
      if (next == null) {
        copy.remove(keyName);
      } else {
        copy.put(keyName, next);
      }
      if (compareAndSet(current, Map.copyOf(copy))) {
        return old;
      }
    }
  }

  private boolean compareAndSet(Map<String, Binding> expected, Map<String, Binding> next) {
    return BINDINGS.compareAndSet(this, expected, next);
  }

  private void fire(String keyName, @Nullable Binding old, @Nullable Binding now) {
    List<Listener<?>> list = listeners.get(keyName);
    if (list == null) {
      return;
    }
    for (Listener<?> listener : list) {
      listener.tell(this, old, now);
    }
  }

  /** A listener with the key it was added for, so values can be cast to the listener's type. */
  private record Listener<T>(Key<T> key, ChangeListener<? super T> listener) {

    void tell(Registry registry, @Nullable Binding old, @Nullable Binding now) {
      try {
        listener.changed(instanceOf(old), instanceOf(now));
      } catch (RuntimeException e) {
        // A listener's failure must not undo or hide a change that other readers already see.
        LOG.warn("listener on {} in {} failed; the change stands", key, registry, e);
      }
    }

    private @Nullable T instanceOf(@Nullable Binding binding) {
      if (binding == null) {
        return null;
      }
      Object instance = binding.instance();
      return key.type().isInstance(instance) ? key.type().cast(instance) : null;
    }
  }

  /** The late-binding supplier returned by {@link #handle}. */
  private static final class Handle<T> implements Supplier<T> {
    private final Registry registry;
    private final Key<T> key;

    Handle(Registry registry, Key<T> key) {
      this.registry = registry;
      this.key = key;
    }

    @Override
    public T get() {
      return registry.get(key);
    }

    @Override
    public String toString() {
      return "handle for " + key + " in " + registry.describe();
    }
  }
}
