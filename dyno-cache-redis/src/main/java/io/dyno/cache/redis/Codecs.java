package io.dyno.cache.redis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The codecs that {@link ValueCodec} returns. */
final class Codecs {

  private Codecs() {}

  static final ValueCodec<String> STRING =
      new ValueCodec<>() {
        @Override
        public byte[] encode(String value) {
          return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
          return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
          return "ValueCodec.string()";
        }
      };

  static final ValueCodec<byte[]> BYTES =
      new ValueCodec<>() {
        @Override
        public byte[] encode(byte[] value) {
          return value.clone();
        }

        @Override
        public byte[] decode(byte[] bytes) {
          return bytes.clone();
        }

        @Override
        public String toString() {
          return "ValueCodec.bytes()";
        }
      };

  /** Java serialization restricted to one class and java.* on reading. */
  static final class Serialized<V extends Serializable> implements ValueCodec<V> {

    private final Class<V> type;
    private final ObjectInputFilter filter;

    Serialized(Class<V> type) {
      this.type = type;
      this.filter =
          info -> {
            Class<?> c = info.serialClass();
            if (c == null) {
              return ObjectInputFilter.Status.UNDECIDED;
            }
            while (c.isArray()) {
              c = c.getComponentType();
            }
            return c.isPrimitive() || c == type || c.getName().startsWith("java.")
                ? ObjectInputFilter.Status.ALLOWED
                : ObjectInputFilter.Status.REJECTED;
          };
    }

    @Override
    public byte[] encode(V value) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(value);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot serialize a " + value.getClass().getName(), e);
      }
      return bytes.toByteArray();
    }

    @Override
    public V decode(byte[] bytes) {
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
        in.setObjectInputFilter(filter);
        Object o = in.readObject();
        if (!type.isInstance(o)) {
          throw new InvalidClassException(
              o.getClass().getName(), "not a " + type.getName() + ", refused");
        }
        return type.cast(o);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot deserialize a " + type.getName(), e);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("cannot deserialize a " + type.getName(), e);
      }
    }

    @Override
    public String toString() {
      return "ValueCodec.serializable(" + type.getName() + ")";
    }
  }
}
