package io.ocular.embed;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ONNX protobuf messages read and written at the wire level with protobuf-java's {@link UnknownFieldSet}.
 *
 * <p>Why not generated classes: ONNX publishes no Java bindings on Maven Central (only JavaCPP's native
 * build, hundreds of MB), and generating them would need {@code protoc} and a vendored {@code onnx.proto}
 * in the build for the handful of fields a graph edit touches. The wire format itself is protobuf-java's
 * job; this class only names the field numbers of {@code onnx.proto} (ONNX IR, stable since IR version 3)
 * that Ocular reads or writes. Fields it does not name pass through byte for byte: a message is only
 * re-encoded when one of its own fields changes, so weights and untouched nodes keep their exact bytes.
 */
final class OnnxProto {

    // ModelProto
    static final int MODEL_GRAPH = 7;
    // GraphProto
    static final int GRAPH_NODE = 1;
    static final int GRAPH_INITIALIZER = 5;
    static final int GRAPH_INPUT = 11;
    static final int GRAPH_OUTPUT = 12;
    static final int GRAPH_VALUE_INFO = 13;
    // NodeProto
    static final int NODE_INPUT = 1;
    static final int NODE_OUTPUT = 2;
    static final int NODE_NAME = 3;
    static final int NODE_OP_TYPE = 4;
    // ValueInfoProto
    static final int VALUE_NAME = 1;
    static final int VALUE_TYPE = 2;
    // TypeProto and TypeProto.Tensor
    static final int TYPE_TENSOR = 1;
    static final int TENSOR_ELEM_TYPE = 1;
    static final int TENSOR_SHAPE = 2;
    // TensorShapeProto and its Dimension
    static final int SHAPE_DIM = 1;
    static final int DIM_VALUE = 1;
    static final int DIM_PARAM = 2;
    // TensorProto
    static final int TENSOR_PROTO_NAME = 8;
    /** TensorProto.DataType.FLOAT. */
    static final int ELEM_FLOAT = 1;

    private OnnxProto() {
    }

    static UnknownFieldSet parse(byte[] bytes) throws InvalidProtocolBufferException {
        return UnknownFieldSet.parseFrom(bytes);
    }

    static UnknownFieldSet parse(ByteString bytes) throws InvalidProtocolBufferException {
        return UnknownFieldSet.parseFrom(bytes);
    }

    /** The embedded messages of a length-delimited field, in order. */
    static List<UnknownFieldSet> messages(UnknownFieldSet m, int field) throws InvalidProtocolBufferException {
        List<UnknownFieldSet> out = new ArrayList<>();
        if (m.hasField(field)) {
            for (ByteString b : m.getField(field).getLengthDelimitedList()) {
                out.add(parse(b));
            }
        }
        return out;
    }

    /** The single embedded message of a field, if present. */
    static Optional<UnknownFieldSet> message(UnknownFieldSet m, int field) throws InvalidProtocolBufferException {
        List<UnknownFieldSet> all = messages(m, field);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The strings of a repeated string field, in order. */
    static List<String> strings(UnknownFieldSet m, int field) {
        if (!m.hasField(field)) {
            return List.of();
        }
        return m.getField(field).getLengthDelimitedList().stream().map(ByteString::toStringUtf8).toList();
    }

    /** The value of a string field, or "" when absent. */
    static String string(UnknownFieldSet m, int field) {
        List<String> all = strings(m, field);
        return all.isEmpty() ? "" : all.get(all.size() - 1);
    }

    /** The value of a varint field, if present. */
    static Optional<Long> varint(UnknownFieldSet m, int field) {
        if (!m.hasField(field) || m.getField(field).getVarintList().isEmpty()) {
            return Optional.empty();
        }
        List<Long> all = m.getField(field).getVarintList();
        return Optional.of(all.get(all.size() - 1));
    }

    /** A field holding these length-delimited values (messages or strings), in order. */
    static UnknownFieldSet.Field bytesField(List<ByteString> values) {
        UnknownFieldSet.Field.Builder f = UnknownFieldSet.Field.newBuilder();
        values.forEach(f::addLengthDelimited);
        return f.build();
    }

    static UnknownFieldSet.Field messagesField(List<UnknownFieldSet> values) {
        return bytesField(values.stream().map(UnknownFieldSet::toByteString).toList());
    }

    static UnknownFieldSet.Field stringField(String value) {
        return bytesField(List.of(ByteString.copyFromUtf8(value)));
    }

    static UnknownFieldSet.Field varintField(long value) {
        return UnknownFieldSet.Field.newBuilder().addVarint(value).build();
    }

    static UnknownFieldSet.Field messageField(UnknownFieldSet value) {
        return bytesField(List.of(value.toByteString()));
    }

    /** {@code m} with {@code field} replaced by {@code value}. */
    static UnknownFieldSet with(UnknownFieldSet m, int field, UnknownFieldSet.Field value) {
        return UnknownFieldSet.newBuilder(m).clearField(field).addField(field, value).build();
    }

    /** {@code m} without {@code field}. */
    static UnknownFieldSet without(UnknownFieldSet m, int field) {
        return UnknownFieldSet.newBuilder(m).clearField(field).build();
    }

    /** A NodeProto. */
    static UnknownFieldSet node(String opType, List<String> inputs, String output, String name) {
        return UnknownFieldSet.newBuilder()
                .addField(NODE_INPUT, bytesField(inputs.stream().map(ByteString::copyFromUtf8).toList()))
                .addField(NODE_OUTPUT, stringField(output))
                .addField(NODE_NAME, stringField(name))
                .addField(NODE_OP_TYPE, stringField(opType))
                .build();
    }

    /**
     * A ValueInfoProto of a float tensor; each dimension is a {@code Long} (fixed size) or a
     * {@code String} (symbolic).
     */
    static UnknownFieldSet floatTensorValue(String name, List<Object> dims) {
        List<UnknownFieldSet> dimMessages = new ArrayList<>();
        for (Object d : dims) {
            dimMessages.add(dimension(d));
        }
        UnknownFieldSet shape = UnknownFieldSet.newBuilder().addField(SHAPE_DIM, messagesField(dimMessages)).build();
        UnknownFieldSet tensor = UnknownFieldSet.newBuilder()
                .addField(TENSOR_ELEM_TYPE, varintField(ELEM_FLOAT))
                .addField(TENSOR_SHAPE, messageField(shape))
                .build();
        UnknownFieldSet type = UnknownFieldSet.newBuilder().addField(TYPE_TENSOR, messageField(tensor)).build();
        return UnknownFieldSet.newBuilder()
                .addField(VALUE_NAME, stringField(name))
                .addField(VALUE_TYPE, messageField(type))
                .build();
    }

    static UnknownFieldSet dimension(Object d) {
        if (d instanceof Long v) {
            return UnknownFieldSet.newBuilder().addField(DIM_VALUE, varintField(v)).build();
        }
        return UnknownFieldSet.newBuilder().addField(DIM_PARAM, stringField(String.valueOf(d))).build();
    }

    /**
     * The dimensions of a ValueInfoProto's tensor shape: {@code Long} for fixed sizes, {@code String} for
     * symbolic ones, {@code "?"} for unknown; empty when it has no tensor shape.
     */
    static List<Object> dims(UnknownFieldSet valueInfo) throws InvalidProtocolBufferException {
        Optional<UnknownFieldSet> shape = shape(valueInfo);
        if (shape.isEmpty()) {
            return List.of();
        }
        List<Object> out = new ArrayList<>();
        for (UnknownFieldSet d : messages(shape.get(), SHAPE_DIM)) {
            Optional<Long> v = varint(d, DIM_VALUE);
            String p = string(d, DIM_PARAM);
            out.add(v.isPresent() ? (Object) v.get() : p.isEmpty() ? "?" : p);
        }
        return out;
    }

    private static Optional<UnknownFieldSet> shape(UnknownFieldSet valueInfo) throws InvalidProtocolBufferException {
        Optional<UnknownFieldSet> type = message(valueInfo, VALUE_TYPE);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        Optional<UnknownFieldSet> tensor = message(type.get(), TYPE_TENSOR);
        return tensor.isEmpty() ? Optional.empty() : message(tensor.get(), TENSOR_SHAPE);
    }

    /** {@code valueInfo} with its tensor shape's dimensions replaced (the element type is kept). */
    static UnknownFieldSet withDims(UnknownFieldSet valueInfo, List<Object> dims) throws InvalidProtocolBufferException {
        UnknownFieldSet type = message(valueInfo, VALUE_TYPE).orElseThrow();
        UnknownFieldSet tensor = message(type, TYPE_TENSOR).orElseThrow();
        List<UnknownFieldSet> dimMessages = new ArrayList<>();
        for (Object d : dims) {
            dimMessages.add(dimension(d));
        }
        UnknownFieldSet shape = UnknownFieldSet.newBuilder().addField(SHAPE_DIM, messagesField(dimMessages)).build();
        tensor = with(tensor, TENSOR_SHAPE, messageField(shape));
        type = with(type, TYPE_TENSOR, messageField(tensor));
        return with(valueInfo, VALUE_TYPE, messageField(type));
    }
}
