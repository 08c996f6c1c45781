package io.ocular.embed;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.ocular.model.OcularException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An edit of an ONNX model's main graph, in memory: make an input's spatial size symbolic, drop shape
 * annotations that pin spatial sizes, add nodes and graph outputs. Only the model, its graph and the
 * messages an edit names are re-encoded; every other node and every weight keeps its bytes (see
 * {@link OnnxProto}).
 *
 * <p>Each step checks what it relies on (the input exists and is 4-D, a node's inputs are tensors of the
 * graph, an output name is new) and throws an {@link OcularException} naming the model otherwise, so a
 * file that is not the expected network is refused with a clear message instead of becoming a broken
 * model.
 */
final class OnnxGraphEdit {

    private final String displayName;
    private final UnknownFieldSet model;
    private UnknownFieldSet graph;

    private OnnxGraphEdit(String displayName, UnknownFieldSet model, UnknownFieldSet graph) {
        this.displayName = displayName;
        this.model = model;
        this.graph = graph;
    }

    /** Parses a serialised ModelProto. */
    static OnnxGraphEdit of(byte[] onnx, String displayName) {
        try {
            UnknownFieldSet model = OnnxProto.parse(onnx);
            UnknownFieldSet graph = OnnxProto.message(model, OnnxProto.MODEL_GRAPH).orElseThrow(
                    () -> new OcularException("'" + displayName + "' is not an ONNX model (it has no graph)."));
            return new OnnxGraphEdit(displayName, model, graph);
        } catch (InvalidProtocolBufferException e) {
            throw new OcularException("'" + displayName + "' is damaged or not an ONNX model: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the fixed height and width (dimensions 2 and 3) of a 4-D graph input with the symbolic
     * names given; other dimensions (batch, channels) stay as they are.
     */
    OnnxGraphEdit dynamicSpatialInput(String input, String height, String width) {
        try {
            List<UnknownFieldSet> inputs = OnnxProto.messages(graph, OnnxProto.GRAPH_INPUT);
            boolean found = false;
            for (int i = 0; i < inputs.size(); i++) {
                UnknownFieldSet in = inputs.get(i);
                if (!OnnxProto.string(in, OnnxProto.VALUE_NAME).equals(input)) {
                    continue;
                }
                List<Object> dims = new ArrayList<>(OnnxProto.dims(in));
                if (dims.size() != 4) {
                    throw unexpected("its input '" + input + "' has shape " + dims + ", not [N,C,H,W]");
                }
                dims.set(2, height);
                dims.set(3, width);
                inputs.set(i, OnnxProto.withDims(in, dims));
                found = true;
            }
            if (!found) {
                throw unexpected("it has no input named '" + input + "'");
            }
            graph = OnnxProto.with(graph, OnnxProto.GRAPH_INPUT, OnnxProto.messagesField(inputs));
            return this;
        } catch (InvalidProtocolBufferException e) {
            throw damaged(e);
        }
    }

    /**
     * Removes the graph's intermediate shape annotations (value_info) of rank 3 or more whose last two
     * dimensions are fixed: they were inferred for one input size and would contradict any other.
     * ONNX Runtime infers the shapes again when it loads the model.
     */
    OnnxGraphEdit dropSpatialShapeAnnotations() {
        try {
            List<UnknownFieldSet> kept = new ArrayList<>();
            List<UnknownFieldSet> all = OnnxProto.messages(graph, OnnxProto.GRAPH_VALUE_INFO);
            for (UnknownFieldSet v : all) {
                List<Object> dims = OnnxProto.dims(v);
                boolean pinned = dims.size() >= 3 && dims.get(dims.size() - 1) instanceof Long
                        && dims.get(dims.size() - 2) instanceof Long;
                if (!pinned) {
                    kept.add(v);
                }
            }
            if (kept.size() != all.size()) {
                graph = kept.isEmpty() ? OnnxProto.without(graph, OnnxProto.GRAPH_VALUE_INFO)
                        : OnnxProto.with(graph, OnnxProto.GRAPH_VALUE_INFO, OnnxProto.messagesField(kept));
            }
            return this;
        } catch (InvalidProtocolBufferException e) {
            throw damaged(e);
        }
    }

    /** Appends a node {@code opType(inputs) -> output} named {@code nodeName}; {@code output} must be new. */
    OnnxGraphEdit addNode(String opType, List<String> inputs, String output, String nodeName) {
        try {
            Set<String> tensors = tensorNames();
            for (String in : inputs) {
                if (!tensors.contains(in)) {
                    throw unexpected("it has no tensor named '" + in + "'");
                }
            }
            if (tensors.contains(output)) {
                throw unexpected("it already has a tensor named '" + output + "'");
            }
            List<UnknownFieldSet> nodes = OnnxProto.messages(graph, OnnxProto.GRAPH_NODE);
            nodes.add(OnnxProto.node(opType, inputs, output, nodeName));
            graph = OnnxProto.with(graph, OnnxProto.GRAPH_NODE, OnnxProto.messagesField(nodes));
            return this;
        } catch (InvalidProtocolBufferException e) {
            throw damaged(e);
        }
    }

    /**
     * Appends a graph output over an existing tensor: a float tensor of the given dimensions ({@code Long}
     * fixed, {@code String} symbolic).
     */
    OnnxGraphEdit addFloatOutput(String tensor, List<Object> dims) {
        try {
            if (!tensorNames().contains(tensor)) {
                throw unexpected("it has no tensor named '" + tensor + "'");
            }
            List<UnknownFieldSet> outputs = OnnxProto.messages(graph, OnnxProto.GRAPH_OUTPUT);
            outputs.add(OnnxProto.floatTensorValue(tensor, dims));
            graph = OnnxProto.with(graph, OnnxProto.GRAPH_OUTPUT, OnnxProto.messagesField(outputs));
            return this;
        } catch (InvalidProtocolBufferException e) {
            throw damaged(e);
        }
    }

    /** The symbolic or fixed first dimension (batch) of a graph input, for outputs that share it. */
    Object batchDimension(String input) {
        try {
            for (UnknownFieldSet in : OnnxProto.messages(graph, OnnxProto.GRAPH_INPUT)) {
                if (OnnxProto.string(in, OnnxProto.VALUE_NAME).equals(input)) {
                    List<Object> dims = OnnxProto.dims(in);
                    if (!dims.isEmpty()) {
                        return dims.get(0);
                    }
                }
            }
            throw unexpected("it has no input named '" + input + "'");
        } catch (InvalidProtocolBufferException e) {
            throw damaged(e);
        }
    }

    /** The edited model, serialised. */
    byte[] toByteArray() {
        return OnnxProto.with(model, OnnxProto.MODEL_GRAPH, OnnxProto.messageField(graph)).toByteArray();
    }

    /** Names of every tensor of the graph: inputs, weights and node outputs. */
    private Set<String> tensorNames() throws InvalidProtocolBufferException {
        Set<String> names = new HashSet<>();
        for (UnknownFieldSet in : OnnxProto.messages(graph, OnnxProto.GRAPH_INPUT)) {
            names.add(OnnxProto.string(in, OnnxProto.VALUE_NAME));
        }
        for (UnknownFieldSet node : OnnxProto.messages(graph, OnnxProto.GRAPH_NODE)) {
            names.addAll(OnnxProto.strings(node, OnnxProto.NODE_OUTPUT));
        }
        // weights: only their names are read (field 8 of TensorProto), the tensors are not decoded
        if (graph.hasField(OnnxProto.GRAPH_INITIALIZER)) {
            for (ByteString bytes : graph.getField(OnnxProto.GRAPH_INITIALIZER).getLengthDelimitedList()) {
                names.add(OnnxProto.string(OnnxProto.parse(bytes), OnnxProto.TENSOR_PROTO_NAME));
            }
        }
        return names;
    }

    private OcularException unexpected(String what) {
        return new OcularException("'" + displayName + "' is not the network Ocular expected: " + what + ".");
    }

    private OcularException damaged(InvalidProtocolBufferException e) {
        return new OcularException("'" + displayName + "' is damaged: " + e.getMessage(), e);
    }
}
