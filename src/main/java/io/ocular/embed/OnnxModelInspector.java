package io.ocular.embed;

import ai.djl.engine.Engine;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Recognises ONNX image encoders by their graph signature, using ONNX Runtime directly (DJL's
 * {@code Model} does not expose input/output types and shapes). Recognised today:
 * <ul>
 *   <li>CNN feature extractors: one float input {@code [N,3,H,W]} and a float feature-map output
 *       {@code [N,C,h,w]} named {@code global_features} (or the only 4-D output) — e.g. the MobileNetV2
 *       features model. Encoder type {@link ModelManifest#ENCODER_CNN_AVGPOOL}, dimension C.</li>
 * </ul>
 * The dimension is measured with one small test run (a 64x64 black image), which also proves that the
 * file loads and runs, instead of trusting shape annotations (which may be symbolic or stale).
 */
public final class OnnxModelInspector implements ModelInspector {

    static final String FEATURES_OUTPUT = "global_features";
    private static final int PROBE_SIZE = 64;

    /** One graph input or output. {@code shape} has -1 for symbolic dimensions. */
    public record TensorSpec(String name, String type, List<Long> shape) {
        boolean isFloat() {
            return "FLOAT".equals(type);
        }

        int rank() {
            return shape.size();
        }

        @Override
        public String toString() {
            return name + " " + type.toLowerCase(Locale.ROOT) + shape;
        }
    }

    /** Inputs and outputs of an ONNX graph. */
    public record Signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
        @Override
        public String toString() {
            return "inputs " + inputs + ", outputs " + outputs;
        }
    }

    @Override
    public RecognisedModel recognise(Path onnxFile, String displayName) {
        try (OrtSession.SessionOptions options = inspectionOptions();
             OrtSession session = open(onnxFile, displayName, options)) {
            Signature sig = signature(session);
            Optional<String[]> cnn = cnnFeatures(sig);
            if (cnn.isEmpty()) {
                throw new OcularException("'" + displayName + "' is a valid ONNX model but not an image"
                        + " encoder Ocular recognises (it has " + sig + "). Ocular can import CNN feature"
                        + " models with one float input [N,3,H,W] and a 4-D feature-map output named '"
                        + FEATURES_OUTPUT + "', or model packs (.zip with manifest.json).");
            }
            String input = cnn.get()[0];
            String output = cnn.get()[1];
            int dim = probeChannels(session, displayName, input, output);
            return new RecognisedModel(ModelKind.IMAGE, dim, ModelManifest.ENCODER_CNN_AVGPOOL,
                    ModelManifest.Preprocessing.imagenet(input, output), sig.toString());
        } catch (OrtException e) {
            throw new OcularException("Could not inspect '" + displayName + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void check(ModelManifest manifest, Path directory) {
        if (!ModelManifest.ENCODER_CNN_AVGPOOL.equals(manifest.encoder())) {
            return;
        }
        Path onnx = manifest.firstOnnxFile().map(f -> directory.resolve(f.name()))
                .orElseThrow(() -> new OcularException("Model '" + manifest.id() + "' lists no .onnx file."));
        ModelManifest.Preprocessing p = manifest.preprocessing();
        try (OrtSession.SessionOptions options = inspectionOptions();
             OrtSession session = open(onnx, onnx.getFileName().toString(), options)) {
            if (!session.getInputNames().contains(p.inputName())
                    || !session.getOutputNames().contains(p.outputName())) {
                throw new OcularException("Model '" + manifest.id() + "' does not match its manifest: it has "
                        + signature(session) + ", the manifest names input '" + p.inputName() + "' and output '"
                        + p.outputName() + "'.");
            }
            int dim = probeChannels(session, onnx.getFileName().toString(), p.inputName(), p.outputName());
            if (dim != manifest.dimension()) {
                throw new OcularException("Model '" + manifest.id() + "' does not match its manifest: it produces "
                        + dim + "-dimensional vectors, the manifest says " + manifest.dimension() + ".");
            }
        } catch (OrtException e) {
            throw new OcularException("Could not inspect model '" + manifest.id() + "': " + e.getMessage(), e);
        }
    }

    /** The graph signature of an ONNX file (for diagnostics and tests). */
    public Signature signature(Path onnxFile) {
        try (OrtSession.SessionOptions options = inspectionOptions();
             OrtSession session = open(onnxFile, onnxFile.getFileName().toString(), options)) {
            return signature(session);
        } catch (OrtException e) {
            throw new OcularException("Could not inspect '" + onnxFile.getFileName() + "': " + e.getMessage(), e);
        }
    }

    /**
     * ONNX Runtime's process-wide environment. DJL's engine must create it (with its threading options):
     * creating it here first would make DJL fail later with "one already exists".
     */
    static OrtEnvironment environment() {
        Engine.getEngine("OnnxRuntime");
        return OrtEnvironment.getEnvironment();
    }

    private static OrtSession.SessionOptions inspectionOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        return options;
    }

    private static OrtSession open(Path file, String displayName, OrtSession.SessionOptions options) {
        try {
            return environment().createSession(file.toString(), options);
        } catch (OrtException e) {
            String why = e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_PROTOBUF
                    ? "it is damaged, incomplete (e.g. an interrupted download) or not an ONNX model at all"
                    : "ONNX Runtime refused it (" + firstLine(e.getMessage()) + ")";
            throw new OcularException("Cannot use '" + displayName + "' as a model: " + why + ".", e);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new OcularException("Cannot load '" + displayName + "' as a model: " + e.getMessage(), e);
        }
    }

    private static Signature signature(OrtSession session) throws OrtException {
        return new Signature(specs(session.getInputInfo()), specs(session.getOutputInfo()));
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> infos) {
        List<TensorSpec> out = new ArrayList<>();
        for (NodeInfo node : infos.values()) {
            ValueInfo info = node.getInfo();
            if (info instanceof TensorInfo t) {
                List<Long> shape = Arrays.stream(t.getShape()).boxed().collect(Collectors.toList());
                out.add(new TensorSpec(node.getName(), t.type.name(), shape));
            } else {
                out.add(new TensorSpec(node.getName(), info.getClass().getSimpleName(), List.of()));
            }
        }
        return out;
    }

    /** {input, output} names when the signature is a CNN feature extractor. */
    private static Optional<String[]> cnnFeatures(Signature sig) {
        if (sig.inputs().size() != 1) {
            return Optional.empty();
        }
        TensorSpec in = sig.inputs().get(0);
        if (!in.isFloat() || in.rank() != 4 || !(in.shape().get(1) == 3 || in.shape().get(1) < 0)) {
            return Optional.empty();
        }
        List<TensorSpec> maps = sig.outputs().stream().filter(o -> o.isFloat() && o.rank() == 4).toList();
        Optional<TensorSpec> named = maps.stream().filter(o -> o.name().equals(FEATURES_OUTPUT)).findFirst();
        TensorSpec out = named.orElse(maps.size() == 1 ? maps.get(0) : null);
        return out == null ? Optional.empty() : Optional.of(new String[] {in.name(), out.name()});
    }

    /** Runs a 64x64 black image through the graph and returns the channel count of {@code output}. */
    private static int probeChannels(OrtSession session, String displayName, String input, String output) {
        OrtEnvironment env = environment();
        long[] shape = {1, 3, PROBE_SIZE, PROBE_SIZE};
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.allocate(3 * PROBE_SIZE * PROBE_SIZE), shape);
             OrtSession.Result r = session.run(Map.of(input, x), Set.of(output))) {
            OnnxValue v = r.get(output).orElseThrow();
            if (!(v instanceof OnnxTensor t) || t.getInfo().type != OnnxJavaType.FLOAT
                    || t.getInfo().getShape().length != 4) {
                throw new OcularException("'" + displayName + "' did not produce a float feature map in a"
                        + " test run, so it cannot be used as an image encoder.");
            }
            long channels = t.getInfo().getShape()[1];
            if (channels <= 0 || channels > 65_536) {
                throw new OcularException("'" + displayName + "' produced " + channels
                        + " feature channels in a test run; that is not a usable vector length.");
            }
            return (int) channels;
        } catch (OrtException e) {
            throw new OcularException("'" + displayName + "' loads but fails when run on a test image ("
                    + firstLine(e.getMessage()) + "), so it cannot be used as an image encoder.", e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no details";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
