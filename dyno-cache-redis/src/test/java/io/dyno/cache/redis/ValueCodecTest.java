package io.dyno.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The codecs a cache names: strings, bytes, and Java serialization restricted on reading. */
class ValueCodecTest {

  record Price(String sku, long cents, List<String> tags) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  record Other(String what) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  record Holder(Other inside) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Serializable only in name: writing it fails. */
  record Unwritable(Object notSerializable) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void strings_travelAsUtf8() {
    ValueCodec<String> codec = ValueCodec.string();
    assertThat(codec.encode("prix €")).hasSize(8);
    assertThat(codec.decode(codec.encode("prix €"))).isEqualTo("prix €");
    assertThat(codec).hasToString("ValueCodec.string()");
  }

  @Test
  void bytes_travelAsTheyAre_andAreCopiedBothWays() {
    ValueCodec<byte[]> codec = ValueCodec.bytes();
    byte[] value = {1, 2, 3};
    byte[] encoded = codec.encode(value);
    value[0] = 9;
    assertThat(encoded).containsExactly(1, 2, 3);
    byte[] decoded = codec.decode(encoded);
    encoded[1] = 9;
    assertThat(decoded).containsExactly(1, 2, 3);
    assertThat(codec).hasToString("ValueCodec.bytes()");
  }

  @Test
  void serializable_roundTripsTheClassWithJavaTypesInside() {
    ValueCodec<Price> codec = ValueCodec.serializable(Price.class);
    Price p = new Price("sku-1", 1999, new ArrayList<>(List.of("sale")));
    assertThat(codec.decode(codec.encode(p))).isEqualTo(p);
    assertThat(codec).hasToString("ValueCodec.serializable(" + Price.class.getName() + ")");
  }

  @Test
  void serializable_readsAValueThatRefersTwiceToOneObject() {
    ValueCodec<Price> codec = ValueCodec.serializable(Price.class);
    String tag = new String("sale".toCharArray());
    Price p = new Price("sku-2", 500, new ArrayList<>(List.of(tag, tag)));
    Price back = codec.decode(codec.encode(p));
    assertThat(back).isEqualTo(p);
    assertThat(back.tags().get(1)).as("one object, read back once").isSameAs(back.tags().get(0));
  }

  @Test
  void serializable_refusesToReadAnyOtherClassOfTheApplication() {
    ValueCodec<Price> prices = ValueCodec.serializable(Price.class);
    assertThatThrownBy(() -> prices.decode(serialize(new Other("planted"))))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot deserialize a " + Price.class.getName());
    ValueCodec<Holder> holders = ValueCodec.serializable(Holder.class);
    assertThatThrownBy(() -> holders.decode(serialize(new Holder(new Other("inside")))))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseInstanceOf(java.io.InvalidClassException.class);
  }

  @Test
  void serializable_refusesAJavaValueOfAnotherType() {
    ValueCodec<Price> prices = ValueCodec.serializable(Price.class);
    assertThatThrownBy(() -> prices.decode(serialize("a string")))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseMessage("java.lang.String; not a " + Price.class.getName() + ", refused");
    assertThatThrownBy(() -> prices.decode(new byte[] {1, 2, 3}))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void serializable_acceptsArraysOfJavaTypes() throws IOException {
    ValueCodec<Price> prices = ValueCodec.serializable(Price.class);
    assertThatThrownBy(() -> prices.decode(serialize(new int[][] {{1}})))
        .hasRootCauseMessage("[[I; not a " + Price.class.getName() + ", refused");
  }

  @Test
  void serializable_failsToWriteAValueThatCannotBeSerialized() {
    ValueCodec<Unwritable> codec = ValueCodec.serializable(Unwritable.class);
    assertThatThrownBy(() -> codec.encode(new Unwritable(new Object())))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot serialize a " + Unwritable.class.getName());
  }

  private static byte[] serialize(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }
}
