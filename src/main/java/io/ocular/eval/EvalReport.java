package io.ocular.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one evaluation. Absent measures are null and left out of the JSON; later additions
 * (index kind, bits, re-ranking, timings, ...) go into {@code extras}, in insertion order.
 *
 * @param protocol      protocol name
 * @param mAP           mean average precision (mAP@depth for cifar), or null
 * @param precisionAt10 mean P@10, or null
 * @param nsScore       UKBench N-S score, or null
 * @param queries       queries scored
 * @param images        images in the dataset
 * @param seconds       wall time
 * @param extras        further keys for the JSON object
 */
public record EvalReport(String protocol, Double mAP, Double precisionAt10, Double nsScore, int queries, int images,
                         double seconds, Map<String, Object> extras) {

    public EvalReport {
        extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    /** A copy with one more (or a replaced) extra key. */
    public EvalReport with(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(extras);
        m.put(key, value);
        return new EvalReport(protocol, mAP, precisionAt10, nsScore, queries, images, seconds, m);
    }

    public EvalReport withSeconds(double newSeconds) {
        return new EvalReport(protocol, mAP, precisionAt10, nsScore, queries, images, newSeconds, extras);
    }

    /** The JSON keys in order: protocol, mAP, P@10, NS, queries, images, seconds, then the extras. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", protocol);
        putIfPresent(m, "mAP", mAP);
        putIfPresent(m, "P@10", precisionAt10);
        putIfPresent(m, "NS", nsScore);
        m.put("queries", queries);
        m.put("images", images);
        m.put("seconds", seconds);
        m.putAll(extras);
        return m;
    }

    public String toJson() {
        try {
            return new ObjectMapper().writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise evaluation report", e);
        }
    }

    /** One human-readable line, e.g. {@code classes: mAP 0.8512  P@10 0.9530  (1000 queries, 1000 images, 12.3 s)}. */
    public String toText() {
        StringBuilder sb = new StringBuilder(protocol).append(':');
        if (mAP != null) {
            sb.append(String.format(Locale.ROOT, "  mAP %.4f", mAP));
        }
        if (precisionAt10 != null) {
            sb.append(String.format(Locale.ROOT, "  P@10 %.4f", precisionAt10));
        }
        if (nsScore != null) {
            sb.append(String.format(Locale.ROOT, "  N-S %.3f", nsScore));
        }
        sb.append(String.format(Locale.ROOT, "  (%d queries, %d images, %.1f s)", queries, images, seconds));
        extras.forEach((k, v) -> sb.append("  ").append(k).append('=').append(v));
        return sb.toString();
    }

    private static void putIfPresent(Map<String, Object> m, String key, Double value) {
        if (value != null && !value.isNaN() && !value.isInfinite()) {
            m.put(key, value);
        }
    }
}
