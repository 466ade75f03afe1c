package io.jcontract.agent.cli;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

/**
 * JMX open data (what an MXBean's attributes and operations take and give:
 * simple values, arrays, {@link CompositeData}, {@link TabularData}) on a
 * byte stream, for the tools' channel ({@link ControlServer},
 * {@link ControlClient}). A value travels with its {@link OpenType}, so the
 * reader rebuilds it without knowing the MXBean; nothing is deserialized
 * by class name, and every length read is bounded, so a corrupt stream
 * fails with an {@link IOException}.
 */
final class OpenWire {
    private static final int MAX_LENGTH = 1 << 24;
    private static final int MAX_DEPTH = 32;
    private static final Map<String, SimpleType<?>> SIMPLE = new HashMap<>();

    static {
        for (SimpleType<?> t : List.<SimpleType<?>>of(SimpleType.VOID, SimpleType.BOOLEAN, SimpleType.CHARACTER,
                SimpleType.BYTE, SimpleType.SHORT, SimpleType.INTEGER, SimpleType.LONG, SimpleType.FLOAT,
                SimpleType.DOUBLE, SimpleType.STRING, SimpleType.BIGDECIMAL, SimpleType.BIGINTEGER, SimpleType.DATE,
                SimpleType.OBJECTNAME))
            SIMPLE.put(t.getClassName(), t);
    }

    private OpenWire() {
    }

    // ------------------------------------------------------------------ strings

    static void writeString(DataOutput out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInput in) throws IOException {
        byte[] b = new byte[length(in)];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static int length(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_LENGTH) throw new IOException("bad length " + n + " on the jcontract channel");
        return n;
    }

    // ------------------------------------------------------------------ types

    static void writeType(DataOutput out, OpenType<?> t) throws IOException {
        switch (t) {
            case SimpleType<?> s -> {
                out.writeByte('S');
                writeString(out, s.getClassName());
            }
            case ArrayType<?> a -> {
                out.writeByte('A');
                out.writeInt(a.getDimension());
                out.writeBoolean(a.isPrimitiveArray());
                writeType(out, a.getElementOpenType());
            }
            case CompositeType c -> {
                out.writeByte('C');
                writeString(out, c.getTypeName());
                writeString(out, c.getDescription());
                out.writeInt(c.keySet().size());
                for (String key : c.keySet()) {
                    writeString(out, key);
                    writeString(out, c.getDescription(key));
                    writeType(out, c.getType(key));
                }
            }
            case TabularType tt -> {
                out.writeByte('T');
                writeString(out, tt.getTypeName());
                writeString(out, tt.getDescription());
                writeType(out, tt.getRowType());
                out.writeInt(tt.getIndexNames().size());
                for (String index : tt.getIndexNames()) writeString(out, index);
            }
            default -> throw new IOException("open type " + t + " cannot travel on the jcontract channel");
        }
    }

    static OpenType<?> readType(DataInput in) throws IOException {
        return readType(in, 0);
    }

    private static OpenType<?> readType(DataInput in, int depth) throws IOException {
        if (depth > MAX_DEPTH) throw new IOException("open type nested too deeply on the jcontract channel");
        int tag = in.readByte();
        try {
            switch (tag) {
                case 'S' -> {
                    String name = readString(in);
                    SimpleType<?> s = SIMPLE.get(name);
                    if (s == null) throw new IOException("unknown simple type " + name);
                    return s;
                }
                case 'A' -> {
                    int dimension = in.readInt();
                    boolean primitive = in.readBoolean();
                    OpenType<?> element = readType(in, depth + 1);
                    if (dimension < 1 || dimension > MAX_DEPTH) throw new IOException("bad array dimension " + dimension);
                    if (primitive) {
                        if (!(element instanceof SimpleType<?> s)) throw new IOException("primitive array of " + element);
                        ArrayType<?> a = new ArrayType<>(s, true);
                        for (int i = 1; i < dimension; i++) a = new ArrayType<>(1, a);
                        return a;
                    }
                    return new ArrayType<>(dimension, element);
                }
                case 'C' -> {
                    String name = readString(in), description = readString(in);
                    int n = length(in);
                    String[] keys = new String[n], descriptions = new String[n];
                    OpenType<?>[] types = new OpenType<?>[n];
                    for (int i = 0; i < n; i++) {
                        keys[i] = readString(in);
                        descriptions[i] = readString(in);
                        types[i] = readType(in, depth + 1);
                    }
                    return new CompositeType(name, description, keys, descriptions, types);
                }
                case 'T' -> {
                    String name = readString(in), description = readString(in);
                    OpenType<?> row = readType(in, depth + 1);
                    if (!(row instanceof CompositeType rowType)) throw new IOException("tabular rows of " + row);
                    String[] index = new String[length(in)];
                    for (int i = 0; i < index.length; i++) index[i] = readString(in);
                    return new TabularType(name, description, rowType, index);
                }
                default -> throw new IOException("bad type tag " + tag + " on the jcontract channel");
            }
        } catch (OpenDataException e) {
            throw new IOException("bad open type on the jcontract channel: " + e.getMessage(), e);
        }
    }

    /** The open type of a parameter value: simple values and arrays of them, primitive or not. */
    static OpenType<?> typeOf(Object v) throws IOException {
        if (v == null) return SimpleType.VOID;
        if (v instanceof CompositeData cd) return cd.getCompositeType();
        if (v instanceof TabularData td) return td.getTabularType();
        Class<?> c = v.getClass();
        try {
            if (c.isArray()) {
                if (c.getComponentType().isPrimitive()) return ArrayType.getPrimitiveArrayType(c);
                if (c.getComponentType().isArray()) throw new IOException("nested arrays are not supported");
                SimpleType<?> s = SIMPLE.get(c.getComponentType().getName());
                if (s == null) throw new IOException("arrays of " + c.getComponentType().getName() + " are not supported");
                return new ArrayType<>(1, s);
            }
        } catch (OpenDataException e) {
            throw new IOException(e.getMessage(), e);
        }
        SimpleType<?> s = SIMPLE.get(c.getName());
        if (s == null) throw new IOException("a " + c.getName() + " is not open data");
        return s;
    }

    // ------------------------------------------------------------------ values

    static void writeValue(DataOutput out, OpenType<?> t, Object v) throws IOException {
        out.writeBoolean(v != null);
        if (v == null) return;
        switch (t) {
            case SimpleType<?> s -> writeSimple(out, s, v);
            case ArrayType<?> a -> {
                int n = Array.getLength(v);
                out.writeInt(n);
                OpenType<?> component = component(a);
                for (int i = 0; i < n; i++) writeValue(out, component, Array.get(v, i));
            }
            case CompositeType c -> {
                CompositeData cd = (CompositeData) v;
                for (String key : c.keySet()) writeValue(out, c.getType(key), cd.get(key));
            }
            case TabularType tt -> {
                TabularData td = (TabularData) v;
                out.writeInt(td.size());
                for (Object row : td.values()) writeValue(out, tt.getRowType(), row);
            }
            default -> throw new IOException("open type " + t + " cannot travel on the jcontract channel");
        }
    }

    static Object readValue(DataInput in, OpenType<?> t) throws IOException {
        if (!in.readBoolean()) return null;
        try {
            switch (t) {
                case SimpleType<?> s -> {
                    return readSimple(in, s);
                }
                case ArrayType<?> a -> {
                    int n = length(in);
                    OpenType<?> component = component(a);
                    Object array = Array.newInstance(javaClass(a, component), n);
                    for (int i = 0; i < n; i++) {
                        Object e = readValue(in, component);
                        if (e == null && array.getClass().getComponentType().isPrimitive())
                            throw new IOException("null in a primitive array");
                        Array.set(array, i, e);
                    }
                    return array;
                }
                case CompositeType c -> {
                    String[] keys = c.keySet().toArray(String[]::new);
                    Object[] values = new Object[keys.length];
                    for (int i = 0; i < keys.length; i++) values[i] = readValue(in, c.getType(keys[i]));
                    return new CompositeDataSupport(c, keys, values);
                }
                case TabularType tt -> {
                    int n = length(in);
                    TabularDataSupport td = new TabularDataSupport(tt);
                    for (int i = 0; i < n; i++) td.put((CompositeData) readValue(in, tt.getRowType()));
                    return td;
                }
                default -> throw new IOException("open type " + t + " cannot travel on the jcontract channel");
            }
        } catch (OpenDataException | RuntimeException e) {
            throw new IOException("bad open data on the jcontract channel: " + e, e);
        }
    }

    /** The type of an array's elements: the element type for one dimension, else an array of one less. */
    private static OpenType<?> component(ArrayType<?> a) throws IOException {
        if (a.getDimension() == 1) return a.getElementOpenType();
        try {
            if (a.isPrimitiveArray()) {
                Class<?> c = Class.forName(a.getClassName().substring(1));
                return ArrayType.getPrimitiveArrayType(c);
            }
            return new ArrayType<>(a.getDimension() - 1, a.getElementOpenType());
        } catch (ClassNotFoundException | OpenDataException e) {
            throw new IOException(e.toString(), e);
        }
    }

    /** The Java component class of an array of {@code component}s. */
    private static Class<?> javaClass(ArrayType<?> a, OpenType<?> component) throws IOException {
        if (a.getDimension() == 1 && a.isPrimitiveArray()) {
            return switch (component.getClassName()) {
                case "java.lang.Boolean" -> boolean.class;
                case "java.lang.Character" -> char.class;
                case "java.lang.Byte" -> byte.class;
                case "java.lang.Short" -> short.class;
                case "java.lang.Integer" -> int.class;
                case "java.lang.Long" -> long.class;
                case "java.lang.Float" -> float.class;
                case "java.lang.Double" -> double.class;
                default -> throw new IOException("no primitive array of " + component.getClassName());
            };
        }
        try {
            return Class.forName(component.getClassName(), false, OpenWire.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IOException(e.toString(), e);
        }
    }

    private static void writeSimple(DataOutput out, SimpleType<?> s, Object v) throws IOException {
        switch (s.getClassName()) {
            case "java.lang.Void" -> { }
            case "java.lang.Boolean" -> out.writeBoolean((Boolean) v);
            case "java.lang.Character" -> out.writeChar((Character) v);
            case "java.lang.Byte" -> out.writeByte((Byte) v);
            case "java.lang.Short" -> out.writeShort((Short) v);
            case "java.lang.Integer" -> out.writeInt((Integer) v);
            case "java.lang.Long" -> out.writeLong((Long) v);
            case "java.lang.Float" -> out.writeFloat((Float) v);
            case "java.lang.Double" -> out.writeDouble((Double) v);
            case "java.util.Date" -> out.writeLong(((Date) v).getTime());
            default -> writeString(out, v.toString());   // String, BigDecimal, BigInteger, ObjectName
        }
    }

    private static Object readSimple(DataInput in, SimpleType<?> s) throws IOException {
        return switch (s.getClassName()) {
            case "java.lang.Void" -> null;
            case "java.lang.Boolean" -> in.readBoolean();
            case "java.lang.Character" -> in.readChar();
            case "java.lang.Byte" -> in.readByte();
            case "java.lang.Short" -> in.readShort();
            case "java.lang.Integer" -> in.readInt();
            case "java.lang.Long" -> in.readLong();
            case "java.lang.Float" -> in.readFloat();
            case "java.lang.Double" -> in.readDouble();
            case "java.util.Date" -> new Date(in.readLong());
            case "java.math.BigDecimal" -> new BigDecimal(readString(in));
            case "java.math.BigInteger" -> new BigInteger(readString(in));
            case "javax.management.ObjectName" -> {
                try {
                    yield new ObjectName(readString(in));
                } catch (MalformedObjectNameException e) {
                    throw new IOException(e.toString(), e);
                }
            }
            default -> readString(in);
        };
    }
}
