package io.ocular.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;

import java.nio.ByteBuffer;

/**
 * Stacks same-shaped samples into one batch ({@code [N, ...]}) and splits a batch back, by copying
 * bytes on the Java side, like {@link Batchifier#STACK}. Needed because DJL's STACK batchifier calls
 * {@code NDArrays.stack}/{@code split}, which the ONNX Runtime engine does not implement by itself (it
 * delegates them to a second engine such as PyTorch, and Ocular ships ONNX Runtime only:
 * {@code ai.djl.onnx.disable_alternative=true}). Samples of different shapes cannot share a batch;
 * callers group them by shape first.
 */
final class HeapStackBatchifier implements Batchifier {
    private static final long serialVersionUID = 1L;

    @Override
    public NDList batchify(NDList[] inputs) {
        int n = inputs.length;
        int k = inputs[0].size();
        NDList batch = new NDList(k);
        for (int j = 0; j < k; j++) {
            NDArray first = inputs[0].get(j);
            Shape shape = first.getShape();
            DataType type = first.getDataType();
            long bytes = shape.size() * type.getNumOfBytes();
            NDManager manager = first.getManager();
            ByteBuffer all = manager.allocateDirect(Math.toIntExact(bytes * n));
            for (NDList sample : inputs) {
                NDArray a = sample.get(j);
                if (!a.getShape().equals(shape) || a.getDataType() != type) {
                    throw new IllegalArgumentException("cannot stack " + a.getShape() + " with " + shape
                            + "; group inputs by shape before batching");
                }
                all.put(a.toByteBuffer().duplicate().rewind());
            }
            all.rewind();
            long[] dims = new long[shape.dimension() + 1];
            dims[0] = n;
            System.arraycopy(shape.getShape(), 0, dims, 1, shape.dimension());
            NDArray stacked = manager.create(all, new Shape(dims), type);
            stacked.setName(first.getName());
            batch.add(stacked);
        }
        return batch;
    }

    @Override
    public NDList[] unbatchify(NDList batch) {
        int n = Math.toIntExact(batch.head().getShape().get(0));
        NDList[] samples = new NDList[n];
        for (int i = 0; i < n; i++) {
            samples[i] = new NDList(batch.size());
        }
        for (NDArray a : batch) {
            Shape shape = a.getShape();
            if (shape.get(0) != n) {
                throw new IllegalArgumentException("output " + a.getName() + " has batch size " + shape.get(0)
                        + ", expected " + n);
            }
            Shape sampleShape = shape.slice(1);
            int bytes = Math.toIntExact(sampleShape.size() * a.getDataType().getNumOfBytes());
            ByteBuffer all = a.toByteBuffer();
            NDManager manager = a.getManager();
            for (int i = 0; i < n; i++) {
                ByteBuffer one = manager.allocateDirect(bytes);
                ByteBuffer src = all.duplicate();
                src.position(i * bytes).limit((i + 1) * bytes);
                one.put(src).rewind();
                NDArray sample = manager.create(one, sampleShape, a.getDataType());
                sample.setName(a.getName());
                samples[i].add(sample);
            }
        }
        return samples;
    }
}
